import { performance } from 'node:perf_hooks';

/** Whole seconds as `at()` takes them: `2026-12-01T09:00:00Z`. */
export function atSecond(epochMs: number): string {
  return `at(${new Date(epochMs).toISOString().slice(0, 19)}Z)`;
}

/** The next whole second at or after `epochMs`. */
export function ceilToSecond(epochMs: number): number {
  return Math.ceil(epochMs / 1000) * 1000;
}

export interface TimedResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly ms: number;
}

/**
 * Talks to the local API as a few users, round robin, so that one user's request limit never
 * shapes a benchmark. Each call reports how long it took from the client's side.
 */
export class TaskClient {
  private next = 0;

  private constructor(
    private readonly baseUrl: string,
    private readonly tokens: readonly string[],
  ) {}

  static async forUsers(baseUrl: string, users: number, prefix = 'bench'): Promise<TaskClient> {
    const tokens: string[] = [];
    for (let i = 0; i < users; i++) {
      const response = await fetch(`${baseUrl}/local/token`, { method: 'POST', body: JSON.stringify({ userId: `${prefix}-${i}` }) });
      const body = (await response.json()) as { token?: string };
      if (!body.token) throw new Error(`no token for ${prefix}-${i}: ${response.status}`);
      tokens.push(body.token);
    }
    return new TaskClient(baseUrl, tokens);
  }

  /** Creates a one-shot task due at `dueMs` (a whole second) that posts to `url`. */
  async createAt(dueMs: number, url: string, user?: number): Promise<TimedResponse<{ taskId: string }> & { user: number }> {
    const u = user ?? this.next++ % this.tokens.length;
    const response = await this.request<{ taskId: string }>('POST', '/v1/tasks', u, {
      name: 'bench',
      schedule: atSecond(dueMs),
      target: { type: 'http', url, timeoutSeconds: 10 },
      payload: { bench: true, dueMs },
      // A delivery that fails is not retried: a retry would be a second receipt of the same id.
      retryPolicy: { maxAttempts: 1, backoffSeconds: 1 },
    });
    if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
    return { ...response, user: u };
  }

  async get(taskId: string, user: number): Promise<TimedResponse<unknown>> {
    const response = await this.request('GET', `/v1/tasks/${taskId}`, user);
    if (response.status !== 200) throw new Error(`get answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response;
  }

  private async request<T>(method: string, path: string, user: number, body?: unknown): Promise<TimedResponse<T>> {
    const started = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.tokens[user]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const parsed = (await response.json()) as T;
    return { status: response.status, body: parsed, ms: performance.now() - started };
  }
}
