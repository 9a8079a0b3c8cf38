import type { ConsoleConfig } from '../consoleConfig';
import { sessionFromToken } from './session';
import type { Session } from './session';

type CognitoConfig = Extract<ConsoleConfig, { auth: 'cognito' }>;

const PENDING_KEY = 'tock.signIn';

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** The console route to return to after sign-in. */
  readonly returnTo: string;
}

/** Where Cognito sends the browser back: the console's root (the CDK stack registers exactly this). */
export function redirectUri(): string {
  return `${location.origin}/`;
}

/** Sends the browser to the Cognito Hosted UI (authorization code with PKCE, no client secret). */
export async function startHostedUiSignIn(config: CognitoConfig): Promise<void> {
  const verifier = randomUrlSafe(48);
  const state = randomUrlSafe(24);
  const pending: PendingSignIn = { state, verifier, returnTo: location.hash || '#/' };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const url = new URL('/oauth2/authorize', config.cognitoDomain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: (config.scopes ?? ['openid', 'email']).join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * On the way back from the Hosted UI (`/?code=...&state=...`), trades the code for tokens.
 * Returns undefined when this page load is not a sign-in callback.
 */
export async function completeHostedUiSignIn(config: CognitoConfig): Promise<{ session: Session; returnTo: string } | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (code === null && error === null) return undefined;
  const pending = readPending();
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `/${pending?.returnTo ?? '#/'}`);
  if (error !== null) throw new Error(`Sign-in failed: ${params.get('error_description') ?? error}`);
  if (!pending || pending.state !== params.get('state')) throw new Error('Sign-in failed: the answer does not belong to a sign-in started here. Try again.');
  const response = await fetch(new URL('/oauth2/token', config.cognitoDomain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', client_id: config.clientId, code: code!, redirect_uri: redirectUri(), code_verifier: pending.verifier,
    }),
  });
  const tokens = (await response.json().catch(() => ({}))) as { access_token?: string; id_token?: string; error?: string };
  if (!response.ok || !tokens.access_token) throw new Error(`Sign-in failed: the token endpoint answered ${response.status} ${tokens.error ?? ''}`.trim());
  // The API takes the access token; the ID token only names the user for the header.
  const user = tokens.id_token ? sessionFromToken(tokens.id_token).user : undefined;
  return { session: sessionFromToken(tokens.access_token, user), returnTo: pending.returnTo };
}

/** Ends the Hosted UI session too, then comes back to the console's root. */
export function hostedUiSignOutUrl(config: CognitoConfig): string {
  const url = new URL('/logout', config.cognitoDomain);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() }).toString();
  return url.toString();
}

function readPending(): PendingSignIn | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

function randomUrlSafe(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
