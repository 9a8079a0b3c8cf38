import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { HttpTarget, RetryPolicy, Task, TaskInput } from '../client/apiTypes';
import type { CliIo } from './cliIo';
import { UsageError } from './cliIo';

/** Options of `create` and `update`. */
export const TASK_OPTIONS = {
  name: { type: 'string', short: 'n' },
  schedule: { type: 'string', short: 's' },
  timezone: { type: 'string', short: 'z' },
  target: { type: 'string', short: 't' },
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  timeout: { type: 'string' },
  payload: { type: 'string', short: 'd' },
  'payload-file': { type: 'string' },
  text: { type: 'boolean' },
  'max-attempts': { type: 'string' },
  backoff: { type: 'string' },
  'max-backoff': { type: 'string' },
  'start-at': { type: 'string' },
  'end-at': { type: 'string' },
  'max-runs': { type: 'string' },
  overlap: { type: 'string' },
  'catch-up': { type: 'string' },
  'catch-up-window': { type: 'string' },
  jitter: { type: 'string' },
  body: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export type TaskOptionValues = {
  [K in keyof typeof TASK_OPTIONS]?: (typeof TASK_OPTIONS)[K] extends { multiple: true } ? string[] : (typeof TASK_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

export const TASK_OPTIONS_HELP = `  -s, --schedule EXPR      at(...), rate(...), cron(...) or a 5/6-field cron
  -z, --timezone ZONE      IANA zone for crons and at() without offset (default UTC)
  -n, --name NAME
  -t, --target URL         the HTTP endpoint to call
  -X, --method METHOD      POST (default), GET, PUT, PATCH or DELETE
  -H, --header 'N: v'      a target header (repeat for more)
      --timeout SECONDS    attempt time-out, 1-60 (default 30)
  -d, --payload JSON       the payload (JSON; with --text, sent as the string itself)
      --payload-file FILE  the payload from a file ('-' for standard input)
      --text               send the payload as text, not JSON
      --max-attempts N     1-20 (default 3)
      --backoff SECONDS    first retry delay (default 2)
      --max-backoff SECONDS
      --start-at ISO       no run before this instant ('' clears it on update)
      --end-at ISO         no run after it; then the task completes ('' clears)
      --max-runs N         complete after N runs ('' clears)
      --overlap POLICY     ALLOW (default), SKIP or BUFFER_ONE: a run due while the last one runs
      --catch-up POLICY    LATEST (default), ALL or NONE: runs missed while Tock could not run them
      --catch-up-window S  how far back ALL looks (default 3600)
      --jitter SECONDS     start each run up to this much later (default 0)
      --body FILE          a whole JSON task body ('-' for standard input); options override it`;

/**
 * The request body from the options. For `update`, only what was given; target and retry policy
 * are merged into `current`'s, since the API replaces those objects as a whole.
 */
export async function taskBodyFromOptions(values: TaskOptionValues, io: CliIo, current?: Task): Promise<Partial<TaskInput>> {
  const base = values.body === undefined ? {} : parseJson(await readSource(values.body, io), '--body');
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError('--body must hold a JSON object');
  const body: Record<string, unknown> = { ...base };
  if (values.name !== undefined) body.name = values.name === '' ? null : values.name;
  if (values.schedule !== undefined) body.schedule = values.schedule;
  if (values.timezone !== undefined) body.timezone = values.timezone;

  if (values['start-at'] !== undefined) body.startAt = values['start-at'] === '' ? null : values['start-at'];
  if (values['end-at'] !== undefined) body.endAt = values['end-at'] === '' ? null : values['end-at'];
  if (values['max-runs'] !== undefined) body.maxRuns = values['max-runs'] === '' ? null : numberOrText(values['max-runs']);
  if (values.overlap !== undefined) body.overlapPolicy = values.overlap.toUpperCase();
  if (values['catch-up'] !== undefined) body.catchUpPolicy = values['catch-up'].toUpperCase();
  if (values['catch-up-window'] !== undefined) body.catchUpWindowSeconds = numberOrText(values['catch-up-window']);
  if (values.jitter !== undefined) body.jitterSeconds = numberOrText(values.jitter);

  const payloadText = values.payload ?? (values['payload-file'] === undefined ? undefined : await readSource(values['payload-file'], io));
  if (payloadText !== undefined) body.payload = values.text ? payloadText : parseJson(payloadText, '--payload', ' (add --text to send it as text)');

  const targetGiven = values.target !== undefined || values.method !== undefined || values.header !== undefined || values.timeout !== undefined;
  if (targetGiven) {
    const from = (body.target as Partial<HttpTarget> | undefined) ?? current?.target ?? {};
    body.target = {
      ...from,
      type: 'http',
      ...(values.target === undefined ? {} : { url: values.target }),
      ...(values.method === undefined ? {} : { method: values.method.toUpperCase() }),
      ...(values.header === undefined ? {} : { headers: parseHeaders(values.header) }),
      ...(values.timeout === undefined ? {} : { timeoutSeconds: numberOrText(values.timeout) }),
    };
  }

  const retryGiven = values['max-attempts'] !== undefined || values.backoff !== undefined || values['max-backoff'] !== undefined;
  if (retryGiven) {
    const from = (body.retryPolicy as RetryPolicy | undefined) ?? current?.retryPolicy ?? {};
    body.retryPolicy = {
      ...from,
      ...(values['max-attempts'] === undefined ? {} : { maxAttempts: numberOrText(values['max-attempts']) }),
      ...(values.backoff === undefined ? {} : { backoffSeconds: numberOrText(values.backoff) }),
      ...(values['max-backoff'] === undefined ? {} : { maxBackoffSeconds: numberOrText(values['max-backoff']) }),
    };
  }
  return body as Partial<TaskInput>;
}

/** True when an update needs the current task (to merge target or retry policy into). */
export function needsCurrentTask(values: TaskOptionValues): boolean {
  return [values.target, values.method, values.header, values.timeout, values['max-attempts'], values.backoff, values['max-backoff']].some((v) => v !== undefined);
}

function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header "${line}" should read "Name: value"`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** A number when the text is one; otherwise the text, for the API to refuse with its own message. */
function numberOrText(text: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

function parseJson(text: string, what: string, hint = ''): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}${hint}`);
  }
}

async function readSource(source: string, io: CliIo): Promise<string> {
  if (source === '-') return io.readStdin();
  try {
    return readFileSync(source, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${source}: ${(error as Error).message}`);
  }
}
