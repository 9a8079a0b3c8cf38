import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { buildApiGatewayEvent } from '../../local/apiGatewayEvent';
import { createLambdaContext, LOCAL_FUNCTIONS } from '../../local/lambdaContext';
import type { ApiHandler } from '../../local/lambdaHandlers';
import { createTestResources, uniquePrefix, useTestEnvironment } from './localServices';
import type { TestResources } from './localServices';
import type { Json } from './api';

/** What the real api handler answered, as a client would read it. */
export interface HandlerResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  readonly json: Json;
}

export interface HandlerRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/v1/tasks?limit=5`. */
  readonly url: string;
  /** The caller (the token's `sub`); undefined sends no claims. */
  readonly userId?: string;
  /** An object is sent as JSON; a string or Buffer as it is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The real api Lambda handler against DynamoDB Local, driven with API Gateway events. */
export interface HandlerApi {
  readonly resources: TestResources;
  call(request: HandlerRequest): Promise<HandlerResponse>;
}

/**
 * Creates fresh resources, applies their environment plus `env` (e.g. TOCK_USER_RPS), then imports
 * lambdas/api/handler, which reads its configuration at import time: call it once per test file
 * (each file runs in its own process).
 */
export async function loadHandlerApi(name: string, env: Readonly<Record<string, string>> = {}): Promise<HandlerApi> {
  const resources = await createTestResources(uniquePrefix(name));
  useTestEnvironment(resources);
  Object.assign(process.env, env);
  const { handler } = (await import('../../lambdas/api/handler')) as { handler: ApiHandler };
  return {
    resources,
    async call(request) {
      const headers: Record<string, string> = { ...request.headers };
      let body: Buffer;
      if (request.body === undefined) body = Buffer.alloc(0);
      else if (typeof request.body === 'string') body = Buffer.from(request.body, 'utf8');
      else if (Buffer.isBuffer(request.body)) body = request.body;
      else {
        body = Buffer.from(JSON.stringify(request.body), 'utf8');
        headers['content-type'] ??= 'application/json';
      }
      const event = buildApiGatewayEvent(
        { method: request.method, url: request.url, headers, body, sourceIp: '127.0.0.1', localPort: 3000, receivedAtMs: Date.now() },
        request.userId === undefined ? {} : { sub: request.userId, iss: 'tock-local', aud: 'tock' },
      );
      const result = (await handler(event, createLambdaContext(LOCAL_FUNCTIONS.api))) as APIGatewayProxyStructuredResultV2;
      const text = result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
      let json: Json;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      const lower: Record<string, string> = {};
      for (const [key, value] of Object.entries(result.headers ?? {})) lower[key.toLowerCase()] = String(value);
      return { status: result.statusCode ?? 200, headers: lower, text, json };
    },
  };
}
