import { promises as dns } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { formatIpAddress } from './ipAddress';
import { parseRetryAfter } from './retryAfter';
import type { TargetAddressPolicy } from './targetAddressPolicy';
import { assertValidTargetAddressPolicy, checkTargetUrl, explainRefusedAddress, literalHostAddress } from './targetAddressPolicy';
import { truncateUtf8 } from './truncateUtf8';

export interface DeliveryRequest { url: string; method: string; headers: Record<string, string>; body: string; timeoutMs: number }

export type DeliveryOutcome =
  | { kind: 'succeeded'; statusCode: number; body: string; durationMs: number }
  | { kind: 'retriable'; statusCode?: number; body?: string; error: string; durationMs: number; retryAfterMs?: number }
  | { kind: 'failed'; statusCode?: number; body?: string; error: string; durationMs: number };

/** Resolves a hostname to every address it has (A and AAAA). */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: 4 | 6 }>>;

/** A DeliveryRequest that can never be valid: a bug in the caller, not target behaviour. */
export class InvalidDeliveryRequestError extends Error {
  override readonly name = 'InvalidDeliveryRequestError';
}

/** Bytes of the response body kept for the execution record (the contract's 4 KiB). */
export const MAX_RESPONSE_BODY_BYTES = 4096;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const RETRIABLE_STATUS = new Set([408, 425, 429]);
/** Message framing and hop-by-hop headers belong to this client, never to the caller. */
const FRAMING_HEADERS = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer',
  'expect', 'proxy-connection',
]);

const systemResolver: Resolver = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

interface CheckedAddress { readonly address: string; readonly family: 4 | 6 }

type Resolution = { ok: true; addresses: CheckedAddress[] } | { ok: false; outcome: 'failed' | 'retriable'; error: string };

/**
 * Sends one attempt to an HTTP target and classifies the answer; never throws for anything the
 * target or its DNS does. The host is resolved here, every answer is checked against `policy`,
 * and the socket connects only to checked addresses (no second lookup that DNS rebinding could
 * answer differently). Redirects are never followed. `timeoutMs` bounds the whole attempt:
 * resolution, connection and response.
 */
export async function deliver(req: DeliveryRequest, policy: TargetAddressPolicy, resolver: Resolver = systemResolver): Promise<DeliveryOutcome> {
  if (!Number.isFinite(req.timeoutMs) || req.timeoutMs <= 0) {
    throw new InvalidDeliveryRequestError(`timeoutMs must be a positive number, got ${req.timeoutMs}`);
  }
  assertValidTargetAddressPolicy(policy);
  const startedAt = performance.now();
  const elapsed = (): number => Math.round(performance.now() - startedAt);

  const urlCheck = checkTargetUrl(req.url, policy);
  if (!urlCheck.ok) return { kind: 'failed', error: `target URL: ${urlCheck.reason}`, durationMs: elapsed() };
  const url = new URL(req.url);
  const method = req.method.toUpperCase();
  if (!METHODS.has(method)) return { kind: 'failed', error: `method "${req.method}" is not supported`, durationMs: elapsed() };

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), req.timeoutMs);
  try {
    const resolution = await resolveAndCheck(url.hostname, policy, resolver, deadline.signal, req.timeoutMs);
    if (!resolution.ok) return { kind: resolution.outcome, error: resolution.error, durationMs: elapsed() };
    const outcome = await sendPinned(url, method, req, resolution.addresses, deadline.signal);
    return { ...outcome, durationMs: elapsed() } as DeliveryOutcome;
  } finally {
    clearTimeout(timer);
  }
}

async function resolveAndCheck(
  hostname: string, policy: TargetAddressPolicy, resolver: Resolver, deadline: AbortSignal, timeoutMs: number,
): Promise<Resolution> {
  const literal = literalHostAddress(hostname);
  // A literal host was already checked by checkTargetUrl; Node connects to an IP literal without a lookup.
  if (literal) return { ok: true, addresses: [{ address: formatIpAddress(literal), family: literal.family }] };

  let answers: Array<{ address: string; family: 4 | 6 }>;
  try {
    answers = await untilAborted(resolver(hostname), deadline);
  } catch (error) {
    if (deadline.aborted) return { ok: false, outcome: 'retriable', error: `timed out after ${timeoutMs} ms resolving ${hostname}` };
    return { ok: false, outcome: 'retriable', error: `could not resolve ${hostname}: ${describeError(error)}` };
  }
  if (answers.length === 0) return { ok: false, outcome: 'retriable', error: `${hostname} has no addresses` };

  const addresses: CheckedAddress[] = [];
  for (const answer of answers) {
    const refusal = explainRefusedAddress(answer.address, policy);
    if (refusal !== undefined) {
      return { ok: false, outcome: 'failed', error: `${hostname} resolves to ${answer.address}, which is refused: ${refusal}` };
    }
    const parsed = literalHostAddress(answer.address);
    if (parsed) addresses.push({ address: formatIpAddress(parsed), family: parsed.family });
  }
  return { ok: true, addresses };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Node's `lookup` hook, answering only with addresses checked beforehand. With
 * `autoSelectFamily` (the Node 20 default) Node asks for `all`; otherwise for one.
 */
function pinnedLookup(expectedHostname: string, addresses: readonly CheckedAddress[]) {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const usable = addresses.filter((a) => !options.family || options.family === a.family);
    if (hostname !== expectedHostname || usable.length === 0) {
      const error: NodeJS.ErrnoException = new Error(`no checked address for ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error, '');
    } else if (options.all) {
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      callback(null, usable[0].address, usable[0].family);
    }
  };
}

type Classified = Omit<Extract<DeliveryOutcome, { kind: 'retriable' }>, 'durationMs'>
  | Omit<Extract<DeliveryOutcome, { kind: 'succeeded' }>, 'durationMs'>
  | Omit<Extract<DeliveryOutcome, { kind: 'failed' }>, 'durationMs'>;

function sendPinned(url: URL, method: string, req: DeliveryRequest, addresses: readonly CheckedAddress[], deadline: AbortSignal): Promise<Classified> {
  return new Promise((resolve) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    let finishResponse: (() => void) | undefined;
    const settle = (outcome: Classified): void => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener('abort', onDeadline);
      resolve(outcome);
      request?.destroy();
    };
    const onDeadline = (): void => {
      // Once the status line is in, the target has answered: keep the outcome, cut the body short.
      if (finishResponse) finishResponse();
      else settle({ kind: 'retriable', error: `timed out after ${req.timeoutMs} ms` });
    };
    // The deadline may have passed in the very tick the resolver answered.
    if (deadline.aborted) { settle({ kind: 'retriable', error: `timed out after ${req.timeoutMs} ms` }); return; }
    deadline.addEventListener('abort', onDeadline, { once: true });

    const bareHost = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const body = Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !FRAMING_HEADERS.has(name.toLowerCase())),
    );
    if (body.length > 0 || !(method === 'GET' || method === 'HEAD')) headers['content-length'] = String(body.length);
    const options: RequestOptions = {
      method,
      hostname: bareHost,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false,
      lookup: pinnedLookup(bareHost, addresses),
    };

    try {
      request = (url.protocol === 'https:' ? https : http).request(options);
    } catch (error) {
      // Node validates the method and header names/values synchronously (e.g. a newline in a value).
      settle({ kind: 'failed', error: `request could not be built: ${describeError(error)}` });
      return;
    }
    request.on('error', (error) => {
      if (finishResponse) finishResponse();
      else settle({ kind: 'retriable', error: `connection failed: ${describeError(error)}` });
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let received = 0;
      finishResponse = () => settle(classify(response, truncateUtf8(Buffer.concat(chunks), MAX_RESPONSE_BODY_BYTES)));
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        // Enough to cut on a character boundary; the rest is never read (the socket is closed).
        if (received > MAX_RESPONSE_BODY_BYTES) finishResponse?.();
      });
      response.on('end', () => finishResponse?.());
      response.on('error', () => finishResponse?.());
      response.on('close', () => finishResponse?.());
    });
    request.end(body);
  });
}

function classify(response: IncomingMessage, body: string): Classified {
  const statusCode = response.statusCode ?? 0;
  if (statusCode >= 200 && statusCode <= 299) return { kind: 'succeeded', statusCode, body };
  if (statusCode >= 300 && statusCode <= 399) {
    const location = response.headers.location;
    const to = location ? ` to ${location.slice(0, 200)}` : '';
    return { kind: 'failed', statusCode, body, error: `HTTP ${statusCode}: redirect${to} not followed` };
  }
  if (RETRIABLE_STATUS.has(statusCode) || (statusCode >= 500 && statusCode <= 599)) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now());
    const outcome: Classified = { kind: 'retriable', statusCode, body, error: `HTTP ${statusCode}` };
    return retryAfterMs === undefined ? outcome : { ...outcome, retryAfterMs };
  }
  return { kind: 'failed', statusCode, body, error: `HTTP ${statusCode}` };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
