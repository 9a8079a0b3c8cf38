import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** What the local JWT authorizer expects, as an API Gateway JWT authorizer is configured with. */
export const LOCAL_JWT_ISSUER = 'tock-local';
export const LOCAL_JWT_AUDIENCE = 'tock';
export const LOCAL_TOKEN_TTL_SECONDS = 12 * 3600;

export type JwtClaims = Record<string, unknown>;

/** Why a token was refused; `message` is safe to show the caller. */
export class JwtVerificationError extends Error {
  override readonly name = 'JwtVerificationError';
}

export interface SignJwtOptions {
  readonly privateKey: KeyObject;
  readonly keyId?: string;
  /** Header fields to add or override (tests forge odd headers with this). */
  readonly header?: Record<string, unknown>;
}

/** Signs `claims` as an RS256 JWT. */
export function signJwt(claims: JwtClaims, options: SignJwtOptions): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(options.keyId ? { kid: options.keyId } : {}), ...options.header };
  const signingInput = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), options.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The token `/local/token` hands out: `sub` = userId, issued now, valid 12 h. */
export function issueLocalToken(userId: string, privateKey: KeyObject, keyId: string, nowMs = Date.now()): string {
  const now = Math.floor(nowMs / 1000);
  return signJwt(
    { iss: LOCAL_JWT_ISSUER, aud: LOCAL_JWT_AUDIENCE, sub: userId, iat: now, nbf: now, exp: now + LOCAL_TOKEN_TTL_SECONDS, token_use: 'access' },
    { privateKey, keyId },
  );
}

export interface VerifyJwtOptions {
  readonly publicKey: KeyObject;
  readonly keyId?: string;
  readonly issuer?: string;
  readonly audience?: string;
  readonly nowMs?: number;
}

/** A token that passed every check; `sub` is the caller's user id. */
export interface VerifiedJwt {
  readonly sub: string;
  readonly claims: JwtClaims;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a JWT as API Gateway's JWT authorizer does: RS256 only (so neither `none` nor an HMAC
 * signed with the public key gets through), a good signature, then `iss`, `aud`, `exp`, `nbf`,
 * and a non-empty string `sub`. Throws JwtVerificationError with the reason.
 */
export function verifyJwt(token: string, options: VerifyJwtOptions): VerifiedJwt {
  const segments = token.split('.');
  if (segments.length !== 3 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new JwtVerificationError('the token is not a JWT (three base64url segments)');
  }
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
  const header = decodeSegment(headerSegment, 'header');
  if (header.alg !== 'RS256') throw new JwtVerificationError(`the token's algorithm must be RS256, not ${JSON.stringify(header.alg ?? null)}`);
  if (header.crit !== undefined) throw new JwtVerificationError('the token has critical header extensions this authorizer does not support');
  if (header.kid !== undefined && options.keyId !== undefined && header.kid !== options.keyId) {
    throw new JwtVerificationError('the token was signed by an unknown key');
  }
  const signatureValid = verify(
    'sha256',
    Buffer.from(`${headerSegment}.${payloadSegment}`),
    options.publicKey,
    Buffer.from(signatureSegment, 'base64url'),
  );
  if (!signatureValid) throw new JwtVerificationError('the token signature is not valid');

  const claims = decodeSegment(payloadSegment, 'payload');
  const issuer = options.issuer ?? LOCAL_JWT_ISSUER;
  if (claims.iss !== issuer) throw new JwtVerificationError(`the token issuer must be "${issuer}"`);
  const audience = options.audience ?? LOCAL_JWT_AUDIENCE;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(audience)) throw new JwtVerificationError(`the token audience must include "${audience}"`);
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  if (typeof claims.exp !== 'number') throw new JwtVerificationError('the token has no numeric exp claim');
  if (now >= claims.exp) throw new JwtVerificationError('the token has expired');
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number') throw new JwtVerificationError('the token nbf claim is not a number');
    if (now < claims.nbf) throw new JwtVerificationError('the token is not valid yet (nbf)');
  }
  if (typeof claims.sub !== 'string' || claims.sub.trim() === '') {
    throw new JwtVerificationError('the token has no sub claim (the user id)');
  }
  return { sub: claims.sub, claims };
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeSegment(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtVerificationError(`the token ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtVerificationError(`the token ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
