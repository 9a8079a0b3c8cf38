/**
 * How the console signs in, from `/config.json`: the local build writes `{"auth": "local"}`; the
 * CDK deployment writes the Cognito Hosted UI settings.
 */
export type ConsoleConfig =
  | { readonly auth: 'local' }
  | {
    readonly auth: 'cognito';
    /** `https://<prefix>.auth.<region>.amazoncognito.com` */
    readonly cognitoDomain: string;
    readonly clientId: string;
    /** @default ['openid', 'email'] */
    readonly scopes?: readonly string[];
  };

/** Fetches and checks `/config.json`. */
export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  const config = (await response.json()) as Partial<Record<string, unknown>>;
  if (config.auth === 'local') return { auth: 'local' };
  if (config.auth === 'cognito' && typeof config.cognitoDomain === 'string' && typeof config.clientId === 'string') {
    return config as ConsoleConfig;
  }
  throw new Error('/config.json is neither {"auth": "local"} nor a Cognito configuration');
}
