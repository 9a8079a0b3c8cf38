import { createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueLocalToken, signJwt, verifyJwt } from '../../../local/localJwt';
import { call, token } from '../../support/api';
import type { ApiResponse } from '../../support/api';
import { startApiTestServer } from './apiTestServer';
import type { ApiTestServer } from './apiTestServer';

let api: ApiTestServer;

beforeAll(async () => {
  api = await startApiTestServer();
});

afterAll(async () => {
  await api.server.close();
});

beforeEach(() => {
  api.events.length = 0;
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: 'tock-local', aud: 'tock', sub: 'alice', iat: nowSeconds(), exp: nowSeconds() + 600, ...overrides };
}

function signed(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  return signJwt(claims, { privateKey: api.keys.jwtPrivateKey, keyId: api.keys.jwtKeyId, header });
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function getTasks(authorization: string | undefined): Promise<ApiResponse> {
  return call('GET', `${api.baseUrl}/v1/tasks`, undefined, authorization === undefined ? {} : { headers: { authorization } });
}

function expectUnauthorized(response: ApiResponse, detail: RegExp): void {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(response.json).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: expect.stringMatching(detail) });
  expect(api.events).toHaveLength(0);
}

describe('JWT authorizer in front of /v1', () => {
  it('should pass a valid token and hand its claims to the handler as API Gateway does', async () => {
    // Prepare
    const jwt = signed(validClaims({ 'cognito:groups': ['admin', 'ops'], email_verified: true }));

    // Act
    const response = await getTasks(`Bearer ${jwt}`);

    // Assess
    expect(response.status).toBe(200);
    expect(api.events).toHaveLength(1);
    const { authorizer } = api.events[0]!.requestContext;
    expect(authorizer.jwt.claims).toMatchObject({ sub: 'alice', iss: 'tock-local', aud: 'tock', 'cognito:groups': '[admin ops]', email_verified: 'true' });
    expect(authorizer.jwt.claims.exp).toMatch(/^\d+$/);
    expect(authorizer.jwt.scopes).toBeNull();
  });

  it('should accept the token POST /local/token issues, for 12 hours', async () => {
    // Act
    const jwt = await token(api.baseUrl, 'bob');
    const response = await getTasks(`Bearer ${jwt}`);

    // Assess
    expect(response.status).toBe(200);
    expect(api.events[0]!.requestContext.authorizer.jwt.claims.sub).toBe('bob');
    const { claims } = verifyJwt(jwt, { publicKey: api.keys.jwtPublicKey });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(12 * 3600);
  });

  it('should refuse a request without an Authorization header', async () => {
    expectUnauthorized(await getTasks(undefined), /no Authorization header/);
  });

  it('should refuse a scheme other than Bearer', async () => {
    expectUnauthorized(await getTasks(`Basic ${Buffer.from('alice:pw').toString('base64')}`), /Bearer <token>/);
  });

  it.each([
    ['not a JWT at all', 'abc'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0'],
    ['a header that is not JSON', `${Buffer.from('{oops').toString('base64url')}.${base64url(validClaims())}.c2ln`],
    ['a payload that is not JSON', `${base64url({ alg: 'RS256' })}.${Buffer.from('nope').toString('base64url')}.c2ln`],
    ['characters outside base64url', 'a+b.c/d.e=f'],
  ])('should refuse a malformed token (%s)', async (_case, jwt) => {
    expectUnauthorized(await getTasks(`Bearer ${jwt}`), /refused/);
  });

  it('should refuse alg "none", signed or unsigned', async () => {
    const header = base64url({ alg: 'none', typ: 'JWT' });
    const payload = base64url(validClaims());
    expectUnauthorized(await getTasks(`Bearer ${header}.${payload}.`), /not a JWT/);
    expectUnauthorized(await getTasks(`Bearer ${header}.${payload}.AAAA`), /must be RS256/);
  });

  it('should refuse an HS256 token keyed with the public key (algorithm confusion)', async () => {
    // Prepare
    const header = base64url({ alg: 'HS256', typ: 'JWT' });
    const payload = base64url(validClaims());
    const publicPem = api.keys.jwtPublicKey.export({ type: 'spki', format: 'pem' });
    const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');

    // Act, Assess
    expectUnauthorized(await getTasks(`Bearer ${header}.${payload}.${signature}`), /must be RS256/);
  });

  it('should refuse a token signed by another key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expectUnauthorized(await getTasks(`Bearer ${signJwt(validClaims(), { privateKey })}`), /signature is not valid/);
  });

  it('should refuse a token whose payload was changed after signing', async () => {
    const [header, , signature] = signed(validClaims()).split('.');
    const forged = `${header}.${base64url(validClaims({ sub: 'mallory' }))}.${signature}`;
    expectUnauthorized(await getTasks(`Bearer ${forged}`), /signature is not valid/);
  });

  it('should refuse a token that names another key id', async () => {
    expectUnauthorized(await getTasks(`Bearer ${signed(validClaims(), { kid: 'someone-else' })}`), /unknown key/);
  });

  it.each([
    ['a wrong issuer', { iss: 'https://evil.example' }, /issuer/],
    ['no issuer', { iss: undefined }, /issuer/],
    ['a wrong audience', { aud: 'other-app' }, /audience/],
    ['an expired token', { exp: nowSeconds() - 1 }, /expired/],
    ['no exp', { exp: undefined }, /exp/],
    ['nbf in the future', { nbf: nowSeconds() + 300 }, /not valid yet/],
    ['no sub', { sub: undefined }, /sub/],
    ['an empty sub', { sub: '' }, /sub/],
    ['a numeric sub', { sub: 42 }, /sub/],
  ])('should refuse %s', async (_case, overrides, detail) => {
    expectUnauthorized(await getTasks(`Bearer ${signed(validClaims(overrides))}`), detail);
  });

  it.each([
    ['alg "None"', { alg: 'None' }],
    ['alg "NONE"', { alg: 'NONE' }],
    ['no alg at all', { alg: undefined }],
    ['alg RS512', { alg: 'RS512' }],
  ])('should refuse %s even with a valid RS256 signature', async (_case, header) => {
    expectUnauthorized(await getTasks(`Bearer ${signed(validClaims(), header)}`), /must be RS256/);
  });

  it.each([
    ['an issuer that differs only in case', { iss: 'Tock-Local' }, /issuer/],
    ['an issuer with a trailing slash', { iss: 'tock-local/' }, /issuer/],
    ['an audience list without "tock"', { aud: ['other', 'tock-admin'] }, /audience/],
    ['no audience', { aud: undefined }, /audience/],
    ['exp as a string', { exp: String(nowSeconds() + 600) }, /exp/],
    ['exp exactly now', { exp: nowSeconds() }, /expired/],
    ['a sub that is an object', { sub: { id: 'alice' } }, /sub/],
    ['a blank sub', { sub: '   ' }, /sub/],
  ])('should refuse %s', async (_case, overrides, detail) => {
    expectUnauthorized(await getTasks(`Bearer ${signed(validClaims(overrides))}`), detail);
  });

  it('should accept an audience list that includes "tock"', async () => {
    const response = await getTasks(`Bearer ${signed(validClaims({ aud: ['other', 'tock'] }))}`);
    expect(response.status).toBe(200);
  });

  it('should not guard the local routes', async () => {
    expect((await call('GET', `${api.baseUrl}/health`)).status).toBe(200);
    expect((await call('POST', `${api.baseUrl}/local/token`, { userId: 'carol' })).status).toBe(200);
  });

  it('should check expiry against the clock, in issueLocalToken and verifyJwt alike', () => {
    const issuedAt = Date.parse('2026-01-01T00:00:00Z');
    const jwt = issueLocalToken('dave', api.keys.jwtPrivateKey, api.keys.jwtKeyId, issuedAt);
    expect(verifyJwt(jwt, { publicKey: api.keys.jwtPublicKey, nowMs: issuedAt + 12 * 3600_000 - 1000 }).sub).toBe('dave');
    expect(() => verifyJwt(jwt, { publicKey: api.keys.jwtPublicKey, nowMs: issuedAt + 12 * 3600_000 })).toThrow(/expired/);
  });
});
