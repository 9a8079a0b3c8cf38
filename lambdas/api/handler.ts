import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readConfig } from '../config';
import { compose } from '../runtime/composition';
import { TaskCommands } from '../app/taskCommands';
import { TaskQueries } from '../app/taskQueries';
import { RequestRateLimiter } from '../app/requestRateLimiter';
import { checkTargetUrl } from '../delivery/targetAddressPolicy';
import { REDACTED, redactHeaders } from '../delivery/redactHeaders';
import { dispatch } from './routes';
import type { ApiServices } from './routes';
import { problem, problemFor } from './problem';
import { rateLimit } from './rateLimit';
import { logger } from '../runtime/observability';

const parts = compose(readConfig());
const services: ApiServices = {
  commands: new TaskCommands({
    ...parts,
    shardCount: parts.config.shardCount,
    minIntervalSeconds: parts.config.minIntervalSeconds,
    checkTargetUrl: (url) => {
      const verdict = checkTargetUrl(url, parts.targetPolicy);
      return verdict.ok ? null : verdict.reason;
    },
    sealHeaders: async (headers, stored) => {
      const sensitive = redactHeaders(headers);
      const sealed: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) {
        if (sensitive[name] !== REDACTED) sealed[name] = value;
        else if (value === REDACTED && stored[name] !== undefined) sealed[name] = stored[name];
        else sealed[name] = await parts.cipher.encrypt(value);
      }
      return sealed;
    },
  }),
  queries: new TaskQueries({ ...parts, presentHeaders: (headers) => redactHeaders(headers) }),
  signingSecrets: parts.signingSecrets,
};

/** The per-user request limit (TOCK_USER_RPS, TOCK_USER_BURST); TOCK_USER_RPS=0 turns it off. */
const limiter =
  parts.config.requestsPerSecondPerUser > 0
    ? new RequestRateLimiter({
        store: parts.rateBuckets,
        clock: parts.clock,
        limits: { ratePerSecond: parts.config.requestsPerSecondPerUser, burst: Math.max(1, parts.config.requestBurstPerUser) },
        onStoreError: (error) => logger.warn('rate limit store failed; request let through', { error: error as Error }),
      })
    : null;

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer & {
  requestContext: { authorizer?: { iam?: { userArn?: string } } };
};

/**
 * The caller: the verified token's `sub`, or the IAM principal on `/iam/v1` routes. Never the body.
 * Keys join the user id and user input with `#` (`I#<userId>#<key>`), so an id containing `#`
 * could reach another user's items; Cognito subs (UUIDs) and ARNs never contain one.
 */
function callerOf(event: ApiEvent): string | undefined {
  const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
  if (typeof sub === 'string' && sub.length > 0) return sub.includes('#') ? undefined : sub;
  const arn = event.requestContext.authorizer?.iam?.userArn;
  return arn && !arn.includes('#') ? `iam:${arn}` : undefined;
}

async function route(event: ApiEvent): Promise<APIGatewayProxyStructuredResultV2> {
  const userId = callerOf(event);
  if (!userId) return problem(401, 'a verified bearer token is required');
  const method = event.requestContext.http.method.toUpperCase();
  const path = event.rawPath.replace(/^\/iam(?=\/v1\/)/, '');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) query[name] = value;
  return dispatch(
    method,
    path,
    (params) => ({ userId, method, params, query, headers, body: event.body, isBase64Encoded: event.isBase64Encoded }),
    services,
  );
}

export const handler = middy<ApiEvent, APIGatewayProxyStructuredResultV2>()
  .use({
    onError: async (request) => {
      const response = problemFor(request.error);
      if ((response.statusCode ?? 500) >= 500) logger.error('request failed', { error: request.error as Error });
      request.response = response;
    },
  })
  .use(rateLimit(limiter, callerOf))
  .handler(route);
