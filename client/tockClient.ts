import type { Execution, Page, Problem, SchedulePreview, Task, TaskInput, TaskStatus } from './apiTypes';

/** A problem answer from the API (any 4xx/5xx), or a network failure (status 0). */
export class TockApiError extends Error {
  override readonly name = 'TockApiError';
  constructor(readonly problem: Problem, options?: { cause?: unknown }) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`, options);
  }

  get status(): number {
    return this.problem.status;
  }
}

export interface TockClientOptions {
  /** Where the API answers, without `/v1`; '' for the same origin (the console). */
  readonly baseUrl: string;
  /** The bearer token, read on every request (a console can sign in again meanwhile). */
  readonly token: () => string | undefined;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

export interface ListTasksQuery {
  readonly status?: TaskStatus;
  readonly limit?: number;
  readonly nextToken?: string;
}

/** The v1 API over fetch, for the web console and the CLI (browser and Node.js alike). */
export class TockClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: TockClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  listTasks(query: ListTasksQuery = {}): Promise<Page<Task>> {
    return this.request('GET', `/v1/tasks${queryString({ ...query })}`);
  }

  getTask(taskId: string): Promise<Task> {
    return this.request('GET', `/v1/tasks/${encodeURIComponent(taskId)}`);
  }

  createTask(input: TaskInput, options: { idempotencyKey?: string } = {}): Promise<Task> {
    const headers = options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined;
    return this.request('POST', '/v1/tasks', input, headers);
  }

  /** `ifMatch`: the version the change was made against; another version answers 412. */
  updateTask(taskId: string, changes: Partial<TaskInput>, options: { ifMatch?: number } = {}): Promise<Task> {
    const headers = options.ifMatch === undefined ? undefined : { 'if-match': String(options.ifMatch) };
    return this.request('PATCH', `/v1/tasks/${encodeURIComponent(taskId)}`, changes, headers);
  }

  async deleteTask(taskId: string): Promise<void> {
    await this.request('DELETE', `/v1/tasks/${encodeURIComponent(taskId)}`);
  }

  pauseTask(taskId: string): Promise<Task> {
    return this.request('POST', `/v1/tasks/${encodeURIComponent(taskId)}/pause`);
  }

  resumeTask(taskId: string): Promise<Task> {
    return this.request('POST', `/v1/tasks/${encodeURIComponent(taskId)}/resume`);
  }

  triggerTask(taskId: string): Promise<{ executionId: string }> {
    return this.request('POST', `/v1/tasks/${encodeURIComponent(taskId)}/trigger`);
  }

  /** `include: 'skipped'` adds the run ledger's SKIPPED occurrences, with their reason. */
  listExecutions(taskId: string, query: { limit?: number; nextToken?: string; include?: 'skipped' } = {}): Promise<Page<Execution>> {
    return this.request('GET', `/v1/tasks/${encodeURIComponent(taskId)}/executions${queryString({ ...query })}`);
  }

  getExecution(taskId: string, executionId: string): Promise<Execution> {
    return this.request('GET', `/v1/tasks/${encodeURIComponent(taskId)}/executions/${encodeURIComponent(executionId)}`);
  }

  previewSchedule(body: { schedule: string; timezone?: string; from?: string; count?: number }): Promise<SchedulePreview> {
    return this.request('POST', '/v1/schedules/preview', body);
  }

  private async request<T>(method: string, path: string, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...extraHeaders };
    const token = this.options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const where = this.baseUrl || 'the API';
      throw new TockApiError({ status: 0, title: 'Network error', detail: `Could not reach ${where}: ${(error as Error).message}` }, { cause: error });
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) throw new TockApiError(asProblem(response, parsed, text));
    return parsed as T;
  }
}

/** Reads the answer of a failed request as a problem, whatever the server sent (API Gateway's own 401 is not one). */
function asProblem(response: Response, parsed: unknown, text: string): Problem {
  const fallback = response.statusText || `HTTP ${response.status}`;
  if (typeof parsed !== 'object' || parsed === null) {
    return { status: response.status, title: fallback, detail: text.trim().slice(0, 300) || fallback };
  }
  const body = parsed as Record<string, unknown>;
  const errors = Array.isArray(body.errors)
    ? body.errors.filter((e): e is { path: string; message: string } =>
      typeof e === 'object' && e !== null && typeof e.path === 'string' && typeof e.message === 'string')
    : undefined;
  return {
    status: response.status,
    title: typeof body.title === 'string' ? body.title : fallback,
    detail: typeof body.detail === 'string' ? body.detail : typeof body.message === 'string' ? body.message : fallback,
    ...(typeof body.type === 'string' ? { type: body.type } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
