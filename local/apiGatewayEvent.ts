import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { LOCAL_ACCOUNT_ID } from './localAws';
import type { JwtClaims } from './localJwt';

/** The HTTP API has one proxy route in front of the api Lambda, as the CDK stack declares it. */
export const API_ROUTE_KEY = 'ANY /v1/{proxy+}';
export const API_ID = 'local';

/** One HTTP request as the local API server received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query exactly as sent (`/v1/tasks?limit=5`). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly localPort: number;
  readonly receivedAtMs: number;
}

/**
 * Builds the payload-format-2.0 event API Gateway's HTTP API sends to a Lambda proxy integration
 * behind a JWT authorizer. Follows what AWS does rather than what would be convenient: header names
 * lower-case and repeated values comma-joined, cookies moved out of the headers, query values
 * decoded and comma-joined, claims stringified (arrays as "[a b]"), text bodies as text and
 * everything else base64.
 */
export function buildApiGatewayEvent(request: ReceivedRequest, claims: JwtClaims): APIGatewayProxyEventV2WithJWTAuthorizer {
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  const headers = eventHeaders(request);
  const cookies = headers.cookie?.split(';').map((cookie) => cookie.trim()).filter(Boolean);
  delete headers.cookie;
  const queryStringParameters = parseQuery(rawQueryString);
  const host = headers.host ?? `127.0.0.1:${request.localPort}`;
  const body = eventBody(request.body, headers['content-type']);

  return {
    version: '2.0',
    routeKey: API_ROUTE_KEY,
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: API_ID,
      authorizer: { jwt: { claims: stringifyClaims(claims), scopes: null } },
      domainName: host,
      domainPrefix: host.split('.')[0]!.split(':')[0]!,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(12).toString('base64'),
      routeKey: API_ROUTE_KEY,
      stage: '$default',
      time: apiGatewayTime(request.receivedAtMs),
      timeEpoch: request.receivedAtMs,
    },
    pathParameters: { proxy: safeDecode(rawPath.replace(/^\/v1\//, '')) },
    ...body,
  };
}

function eventHeaders(request: ReceivedRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // What API Gateway adds in front of every integration.
  headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${request.sourceIp}` : request.sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(request.localPort);
  headers['x-amzn-trace-id'] = `Root=1-${Math.floor(request.receivedAtMs / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  if (request.body.length > 0) headers['content-length'] = String(request.body.length);
  return headers;
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

const TEXT_CONTENT_TYPE = /^(text\/|application\/([\w.+-]+\+)?(json|xml)|application\/(javascript|x-www-form-urlencoded|problem\+json))/i;

function eventBody(body: Buffer, contentType: string | undefined): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  const text = contentType === undefined || TEXT_CONTENT_TYPE.test(contentType.trim());
  if (text) {
    const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    try {
      return { body: decoded.decode(body), isBase64Encoded: false };
    } catch {
      // Not valid UTF-8 after all: pass the bytes through untouched.
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

/** API Gateway hands every claim over as a string; arrays become "[a b]". */
function stringifyClaims(claims: JwtClaims): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (typeof value === 'string') result[name] = value;
    else if (Array.isArray(value)) result[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object' && value !== null) result[name] = JSON.stringify(value);
    else result[name] = String(value);
  }
  return result;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the request time format of API Gateway. */
export function apiGatewayTime(epochMs: number): string {
  const date = new Date(epochMs);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
