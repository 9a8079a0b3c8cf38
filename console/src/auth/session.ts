/** The signed-in user's token, kept in sessionStorage (per tab, gone when the tab closes). */
export interface Session {
  readonly token: string;
  /** Who is signed in, for the header: the user id, or the e-mail address on Cognito. */
  readonly user: string;
  /** Epoch ms when the token expires. */
  readonly expiresAt: number;
}

const KEY = 'tock.session';
/** Sign in again a little before the token runs out, not after a request failed. */
const EXPIRY_MARGIN_MS = 30_000;

export function currentSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token === 'string' && session.expiresAt - EXPIRY_MARGIN_MS > now) return session;
  } catch {
    // A damaged entry counts as signed out.
  }
  sessionStorage.removeItem(KEY);
  return undefined;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** A session for `token`, with the expiry and user read from its claims (not verified: the API does that). */
export function sessionFromToken(token: string, user?: string): Session {
  const claims = decodeJwtClaims(token);
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000;
  const name = user ?? [claims.email, claims.username, claims['cognito:username'], claims.sub].find((v) => typeof v === 'string');
  return { token, user: String(name ?? 'signed in'), expiresAt };
}

function decodeJwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
