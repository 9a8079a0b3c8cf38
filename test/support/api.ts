/** A small fetch client for the local API, for tests. */

/** Parsed response bodies are loosely typed on purpose: tests read deep fields and assert on them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly json: T;
  readonly text: string;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Base URL for a relative `path` (not needed when `path` is absolute). */
  readonly baseUrl?: string;
}

/**
 * Sends one request. `body`: an object is sent as JSON; a string or Buffer is sent as it is (set
 * content-type in `headers` yourself). `path` is absolute (`http://...`) or relative to `options.baseUrl`.
 */
export async function call<T = Json>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const url = /^https?:\/\//.test(path) ? path : `${requireBaseUrl(options.baseUrl, path)}${path}`;
  const headers: Record<string, string> = {};
  let payload: string | Blob | undefined;
  if (typeof body === 'string') {
    payload = body;
  } else if (body instanceof Uint8Array) {
    payload = new Blob([new Uint8Array(body)]);
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  const response = await fetch(url, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json: json as T, text };
}

/** A local token for `userId` from `POST /local/token`. */
export async function token(baseUrl: string, userId: string): Promise<string> {
  const response = await call<{ token?: string }>('POST', `${baseUrl}/local/token`, { userId });
  if (response.status !== 200 || typeof response.json?.token !== 'string') {
    throw new Error(`POST /local/token for ${userId} answered ${response.status}: ${response.text}`);
  }
  return response.json.token;
}

/** `call` and `token` bound to one base URL. */
export interface ApiClient {
  readonly baseUrl: string;
  call<T = Json>(method: string, path: string, body?: unknown, options?: Omit<CallOptions, 'baseUrl'>): Promise<ApiResponse<T>>;
  token(userId: string): Promise<string>;
}

export function apiClient(baseUrl: string): ApiClient {
  return {
    baseUrl,
    call: (method, path, body, options) => call(method, path, body, { ...options, baseUrl }),
    token: (userId) => token(baseUrl, userId),
  };
}

function requireBaseUrl(baseUrl: string | undefined, path: string): string {
  if (!baseUrl) throw new Error(`call(): "${path}" is relative; pass options.baseUrl or use apiClient(baseUrl)`);
  return baseUrl.replace(/\/$/, '');
}
