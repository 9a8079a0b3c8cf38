import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { TaskCommands } from '../app/taskCommands';
import type { TaskQueries } from '../app/taskQueries';
import { createTaskSchema, listExecutionsQuery, listTasksQuery, previewSchema, updateTaskSchema } from '../domain/schemas';
import { TASK_ID_PATTERN } from '../domain/ids';
import { TaskNotFoundError } from '../domain/errors';
import { parseIdempotencyKey, parseIfMatch, parseJsonBody, parseWith } from './requestParsing';
import { problem } from './problem';

export interface RequestContext {
  readonly userId: string;
  readonly method: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
}

export interface SigningSecrets {
  current(userId: string): Promise<{ secret: string; previous: string | null; rotatedAt: string | null }>;
  rotate(userId: string): Promise<{ secret: string; previous: string | null; rotatedAt: string | null }>;
}

export interface ApiServices {
  readonly commands: TaskCommands;
  readonly queries: TaskQueries;
  readonly signingSecrets: SigningSecrets;
}

type Handle = (ctx: RequestContext, services: ApiServices) => Promise<APIGatewayProxyStructuredResultV2>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handle: Handle;
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function route(method: string, path: string, handle: Handle): Route {
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}/?$`);
  return { method, pattern, names, handle };
}

/** A task id that cannot exist answers 404, like any other task the caller does not own. */
function taskIdOf(ctx: RequestContext): string {
  const taskId = ctx.params.taskId!;
  if (!TASK_ID_PATTERN.test(taskId)) throw new TaskNotFoundError(taskId);
  return taskId;
}

function noBody(ctx: RequestContext): void {
  if (ctx.body && ctx.body.trim() !== '' && ctx.body.trim() !== '{}') parseJsonBody(ctx.body, ctx.isBase64Encoded);
}

const ROUTES: readonly Route[] = [
  route('POST', '/v1/tasks', async (ctx, s) => {
    const body = parseWith(createTaskSchema, parseJsonBody(ctx.body, ctx.isBase64Encoded));
    const key = parseIdempotencyKey(ctx.headers['idempotency-key']);
    const { taskId, replayed } = await s.commands.create(ctx.userId, body, key);
    const view = await s.queries.get(ctx.userId, taskId);
    return json(201, view, { location: `/v1/tasks/${taskId}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
  }),
  route('GET', '/v1/tasks', async (ctx, s) => {
    const query = parseWith(listTasksQuery, ctx.query);
    return json(200, await s.queries.list(ctx.userId, query));
  }),
  route('GET', '/v1/tasks/{taskId}', async (ctx, s) => json(200, await s.queries.get(ctx.userId, taskIdOf(ctx)))),
  route('PATCH', '/v1/tasks/{taskId}', async (ctx, s) => {
    const taskId = taskIdOf(ctx);
    const patch = parseWith(updateTaskSchema, parseJsonBody(ctx.body, ctx.isBase64Encoded));
    const head = await s.commands.update(ctx.userId, taskId, patch, parseIfMatch(ctx.headers['if-match']));
    return json(200, await s.queries.present(head));
  }),
  route('DELETE', '/v1/tasks/{taskId}', async (ctx, s) => {
    await s.commands.delete(ctx.userId, taskIdOf(ctx));
    return { statusCode: 204 };
  }),
  route('POST', '/v1/tasks/{taskId}/pause', async (ctx, s) => {
    noBody(ctx);
    return json(200, await s.queries.present(await s.commands.pause(ctx.userId, taskIdOf(ctx))));
  }),
  route('POST', '/v1/tasks/{taskId}/resume', async (ctx, s) => {
    noBody(ctx);
    return json(200, await s.queries.present(await s.commands.resume(ctx.userId, taskIdOf(ctx))));
  }),
  route('POST', '/v1/tasks/{taskId}/trigger', async (ctx, s) => {
    noBody(ctx);
    const executionId = await s.commands.trigger(ctx.userId, taskIdOf(ctx));
    return json(202, { executionId }, { location: `/v1/tasks/${ctx.params.taskId}/executions/${executionId}` });
  }),
  route('GET', '/v1/tasks/{taskId}/executions', async (ctx, s) => {
    const query = parseWith(listExecutionsQuery, ctx.query);
    return json(200, await s.queries.listExecutions(ctx.userId, taskIdOf(ctx), query));
  }),
  route('GET', '/v1/tasks/{taskId}/executions/{executionId}', async (ctx, s) =>
    json(200, await s.queries.getExecution(ctx.userId, taskIdOf(ctx), ctx.params.executionId!)),
  ),
  route('POST', '/v1/schedules/preview', async (ctx, s) => {
    const body = parseWith(previewSchema, parseJsonBody(ctx.body, ctx.isBase64Encoded));
    return json(200, s.queries.preview(body));
  }),
  route('GET', '/v1/signing-secret', async (ctx, s) => json(200, await s.signingSecrets.current(ctx.userId))),
  route('POST', '/v1/signing-secret/rotate', async (ctx, s) => json(200, await s.signingSecrets.rotate(ctx.userId))),
];

/** Finds the route for a request: 404 for an unknown path, 405 for a known path and another method. */
export async function dispatch(
  method: string,
  path: string,
  build: (params: Record<string, string>) => RequestContext,
  services: ApiServices,
): Promise<APIGatewayProxyStructuredResultV2> {
  const matching = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m !== null);
  if (matching.length === 0) return problem(404, `no route for ${path}`);
  const hit = matching.find((x) => x.r.method === method);
  if (!hit) {
    const allowed = matching.map((x) => x.r.method).join(', ');
    return problem(405, `${method} is not allowed on ${path}; use ${allowed}`, { headers: { allow: allowed } });
  }
  const params: Record<string, string> = {};
  for (const [i, name] of hit.r.names.entries()) {
    const decoded = decodePathSegment(hit.m![i + 1]!);
    // A segment that is not valid percent-encoding names nothing that can exist.
    if (decoded === undefined) return problem(404, `no resource at ${path}`);
    params[name] = decoded;
  }
  return hit.r.handle(build(params), services);
}

function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
