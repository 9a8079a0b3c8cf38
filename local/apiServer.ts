import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApiGatewayEvent } from './apiGatewayEvent';
import type { ReceivedRequest } from './apiGatewayEvent';
import { createLambdaContext, LOCAL_FUNCTIONS } from './lambdaContext';
import type { LocalFunction } from './lambdaContext';
import type { ApiHandler } from './lambdaHandlers';
import { issueLocalToken, JwtVerificationError, verifyJwt } from './localJwt';
import { sendJson, sendProblem } from './problem';
import { serveStaticFile } from './staticFiles';

/** Lambda's limit on a synchronous invocation's request payload. */
export const MAX_REQUEST_BODY_BYTES = 6 * 1024 * 1024;
/** API Gateway's HTTP API integration timeout. */
export const INTEGRATION_TIMEOUT_MS = 30_000;

export interface ComponentHealth {
  readonly status: 'ok' | 'down';
  readonly detail?: string;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly components: Record<string, ComponentHealth>;
}

export interface ApiServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
  readonly apiHandler: ApiHandler;
  readonly jwt: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly keyId: string };
  readonly health: () => Promise<HealthReport>;
  /** A built web console to serve for paths outside /v1, /local and /health, when it exists. */
  readonly staticDir?: string;
  readonly maxBodyBytes?: number;
  /** The api function (name and timeout for its Lambda context). @default LOCAL_FUNCTIONS.api */
  readonly fn?: LocalFunction;
  /** @default the function's timeout, at most API Gateway's 30 s */
  readonly integrationTimeoutMs?: number;
  /** One line per request (method, path, status, ms); off when undefined. */
  readonly accessLog?: (line: string) => void;
  /** Where handler crashes are reported. */
  readonly errorLog?: (message: string, error: unknown) => void;
}

export interface ApiServer {
  readonly port: number;
  readonly baseUrl: string;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then drops connections. */
  close(graceMs?: number): Promise<void>;
}

const USER_ID = /^[A-Za-z0-9._@+-]{1,128}$/;

/**
 * The local stand-in for API Gateway's HTTP API: a JWT authorizer in front of the api Lambda for
 * every /v1 route, plus the local-only routes (/local/token, /health) and the console's files.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const fn = options.fn ?? LOCAL_FUNCTIONS.api;
  const integrationTimeoutMs = options.integrationTimeoutMs ?? Math.min(INTEGRATION_TIMEOUT_MS, fn.timeoutMs);
  const errorLog = options.errorLog ?? ((message, error) => console.error(message, error));
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const server = createServer((request, response) => {
    const startedAt = Date.now();
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
      options.accessLog?.(`${request.method} ${request.url} ${response.statusCode} ${Date.now() - startedAt}ms`);
      if (inFlight === 0) drained?.();
    });
    route(request, response, startedAt).catch((error: unknown) => {
      errorLog('local API server failed on a request', error);
      sendProblem(response, { status: 500, title: 'Internal Server Error', detail: 'The local API server failed.' });
    });
  });
  server.keepAliveTimeout = 5_000;

  async function route(request: IncomingMessage, response: ServerResponse, receivedAtMs: number): Promise<void> {
    const path = (request.url ?? '/').split('?')[0]!;
    const body = await readBody(request, maxBodyBytes);
    if (body === 'too large') {
      sendProblem(response, { status: 413, title: 'Content Too Large', detail: `The request body exceeds ${maxBodyBytes} bytes.` }, { connection: 'close' });
      return;
    }
    if (path.startsWith('/v1/') && path.length > '/v1/'.length) {
      await invokeApi(request, response, body, receivedAtMs);
    } else if (path === '/health') {
      await health(request, response);
    } else if (path === '/local/token') {
      issueToken(request, response, body);
    } else {
      // Everything else belongs to the web console, when it has been built.
      const reserved = path === '/v1' || path === '/v1/' || path.startsWith('/local/') || path.startsWith('/iam/');
      const served = !reserved && options.staticDir !== undefined && serveStaticFile(options.staticDir, request, response);
      if (!served) {
        // The IAM-authorized /iam/v1 routes exist on AWS only: there is no SigV4 check locally.
        const hint = path.startsWith('/iam/') ? ' IAM-authorized routes exist on AWS only; use /v1 with a bearer token.' : '';
        sendProblem(response, { status: 404, title: 'Not Found', detail: `No route for ${request.method} ${path}.${hint}` });
      }
    }
  }

  async function invokeApi(request: IncomingMessage, response: ServerResponse, body: Buffer, receivedAtMs: number): Promise<void> {
    const claims = authorize(request, response);
    if (!claims) return;
    const received: ReceivedRequest = {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      body,
      sourceIp: normalizeIp(request.socket.remoteAddress),
      localPort: request.socket.localPort ?? 0,
      receivedAtMs,
    };
    const event = buildApiGatewayEvent(received, claims);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), integrationTimeoutMs);
    });
    try {
      const result = await Promise.race([options.apiHandler(event, createLambdaContext(fn)), timedOut]);
      if (result === 'timeout') {
        sendProblem(response, { status: 504, title: 'Gateway Timeout', detail: `The API did not answer within ${integrationTimeoutMs} ms.` });
        return;
      }
      writeLambdaResult(response, result, event.requestContext.requestId);
    } catch (error) {
      // As API Gateway: the caller learns nothing about the crash.
      errorLog(`api handler failed on ${request.method} ${received.url}`, error);
      sendProblem(response, { status: 500, title: 'Internal Server Error', detail: 'The request could not be processed.' });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The JWT authorizer: returns the verified claims, or answers 401 and returns undefined. */
  function authorize(request: IncomingMessage, response: ServerResponse): Record<string, unknown> | undefined {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    let detail: string;
    if (header === undefined) {
      detail = 'The request has no Authorization header; send "Authorization: Bearer <token>".';
    } else if (!match) {
      detail = 'The Authorization header must read "Bearer <token>".';
    } else {
      try {
        return verifyJwt(match[1]!, { publicKey: options.jwt.publicKey, keyId: options.jwt.keyId }).claims;
      } catch (error) {
        if (!(error instanceof JwtVerificationError)) throw error;
        detail = `The bearer token was refused: ${error.message}.`;
      }
    }
    sendProblem(response, { status: 401, title: 'Unauthorized', detail }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    return undefined;
  }

  function issueToken(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
    if (request.method !== 'POST') {
      sendProblem(response, { status: 405, title: 'Method Not Allowed', detail: 'Use POST /local/token.' }, { allow: 'POST' });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      sendProblem(response, {
        status: 400,
        title: 'Bad Request',
        detail: 'The body must be JSON: {"userId": "<id>"}.',
        errors: [{ path: 'userId', message: 'expected a JSON body with a userId string' }],
      });
      return;
    }
    const userId = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).userId : undefined;
    if (typeof userId !== 'string' || !USER_ID.test(userId)) {
      const message = typeof userId === 'string'
        ? 'userId must be 1-128 characters from A-Z a-z 0-9 . _ @ + -'
        : 'userId is required and must be a string';
      sendProblem(response, { status: 400, title: 'Bad Request', detail: message, errors: [{ path: 'userId', message }] });
      return;
    }
    sendJson(response, 200, { token: issueLocalToken(userId, options.jwt.privateKey, options.jwt.keyId) });
  }

  async function health(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendProblem(response, { status: 405, title: 'Method Not Allowed', detail: 'Use GET /health.' }, { allow: 'GET, HEAD' });
      return;
    }
    const report = await options.health();
    const components = Object.fromEntries(Object.entries(report.components).map(([name, component]) => [name, component.status]));
    if (report.ok) {
      sendJson(response, 200, { status: 'ok', components });
      return;
    }
    const down = Object.entries(report.components).filter(([, component]) => component.status !== 'ok');
    sendProblem(response, {
      status: 503,
      title: 'Service Unavailable',
      detail: `Not ready: ${down.map(([name, component]) => (component.detail ? `${name} (${component.detail})` : name)).join(', ')}.`,
      components,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host ?? '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new Error(`port ${options.port} is in use; set PORT to another port (0 picks a free one)`, { cause: error });
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    async close(graceMs = 5_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Reads the whole body, or returns 'too large' once it passes `limit` (the rest is drained so the
 * 413 reaches a client that is still sending, unless it keeps going far past the limit).
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > limit;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > limit * 4) {
          resolve('too large');
          request.destroy();
        }
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Writes what the Lambda returned the way API Gateway's payload format 2.0 maps it. */
function writeLambdaResult(response: ServerResponse, result: unknown, requestId: string): void {
  const structured = isStructuredResult(result)
    ? result
    : // Anything else is taken as a JSON body with status 200.
      { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result ?? null) };
  const status = structured.statusCode ?? 200;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`the api handler returned statusCode ${String(status)}`);
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId.replace(/=+$/, '') || randomBytes(8).toString('hex') };
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (structured.cookies && structured.cookies.length > 0) headers['set-cookie'] = structured.cookies;
  const body = structured.body === undefined ? Buffer.alloc(0) : Buffer.from(structured.body, structured.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > 0 && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  headers['content-length'] = String(body.length);
  response.writeHead(status, headers);
  response.end(body);
}

function isStructuredResult(value: unknown): value is APIGatewayProxyStructuredResultV2 {
  return typeof value === 'object' && value !== null && 'statusCode' in value;
}

function normalizeIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
