import type { CatchUpPolicy, FieldError, HttpMethod, OverlapPolicy, TaskInput } from '../../../client/apiTypes';
import { HTTP_METHODS } from '../../../client/apiTypes';

/** The form's controls, by id. */
export type FieldId =
  | 'name' | 'schedule' | 'timezone'
  | 'target-url' | 'target-method' | 'target-headers' | 'target-timeout'
  | 'payload' | 'payload-kind'
  | 'retry-max-attempts' | 'retry-backoff' | 'retry-max-backoff'
  | 'start-at' | 'end-at' | 'max-runs' | 'overlap-policy' | 'catch-up-policy' | 'catch-up-window' | 'jitter';

export const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['ALLOW', 'SKIP', 'BUFFER_ONE'];
export const CATCH_UP_POLICIES: readonly CatchUpPolicy[] = ['LATEST', 'ALL', 'NONE'];

const FIELD_BY_PATH: ReadonlyArray<[RegExp, FieldId]> = [
  [/^name$/, 'name'],
  [/^schedule$/, 'schedule'],
  [/^timezone$/, 'timezone'],
  [/^target\.method$/, 'target-method'],
  [/^target\.headers(\.|$)/, 'target-headers'],
  [/^target\.timeoutSeconds$/, 'target-timeout'],
  [/^target(\.|$)/, 'target-url'],
  [/^payload(\.|$)/, 'payload'],
  [/^retryPolicy\.backoffSeconds$/, 'retry-backoff'],
  [/^retryPolicy\.maxBackoffSeconds$/, 'retry-max-backoff'],
  [/^retryPolicy(\.|$)/, 'retry-max-attempts'],
  [/^startAt$/, 'start-at'],
  [/^endAt$/, 'end-at'],
  [/^maxRuns$/, 'max-runs'],
  [/^overlapPolicy$/, 'overlap-policy'],
  [/^catchUpPolicy$/, 'catch-up-policy'],
  [/^catchUpWindowSeconds$/, 'catch-up-window'],
  [/^jitterSeconds$/, 'jitter'],
];

/** The control that shows an API error with this `path` (`target.url`, `retryPolicy.maxAttempts`), if any. */
export function fieldForPath(path: string): FieldId | undefined {
  return FIELD_BY_PATH.find(([pattern]) => pattern.test(path))?.[1];
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` lines into a header object; blank lines are ignored. */
export function parseHeaderLines(text: string): { headers: Record<string, string>; errors: string[] } {
  const headers: Record<string, string> = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line.trim() : line.slice(0, colon).trim();
    if (colon < 0 || !HEADER_NAME.test(name)) {
      errors.push(`line ${index + 1} should read "Name: value"`);
      return;
    }
    headers[name] = line.slice(colon + 1).trim();
  });
  return { headers, errors };
}

/**
 * Reads the form into an API body, with the problems the browser can see by itself (paths as the
 * API names them, so both kinds of error land at the same field). The API checks everything again.
 * When editing, every field is sent: the PATCH then describes the whole task as the form shows it.
 */
export function readTaskForm(values: Readonly<Record<FieldId, string>>): { body?: TaskInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const schedule = values.schedule.trim();
  if (schedule === '') errors.push({ path: 'schedule', message: 'Enter a schedule.' });

  const url = values['target-url'].trim();
  if (url === '') {
    errors.push({ path: 'target.url', message: 'Enter the URL to call.' });
  } else if (!/^https?:\/\/[^\s/]+/i.test(url)) {
    errors.push({ path: 'target.url', message: 'Enter an http:// or https:// URL.' });
  }
  const method = values['target-method'] as HttpMethod;
  if (!HTTP_METHODS.includes(method)) errors.push({ path: 'target.method', message: `Choose one of ${HTTP_METHODS.join(', ')}.` });
  const { headers, errors: headerErrors } = parseHeaderLines(values['target-headers']);
  for (const message of headerErrors) errors.push({ path: 'target.headers', message: `Headers: ${message}.` });
  const timeoutSeconds = wholeNumber(values['target-timeout'], 'target.timeoutSeconds', 1, 60, errors);

  let payload: unknown = null;
  const payloadText = values.payload;
  if (values['payload-kind'] === 'text') {
    payload = payloadText === '' ? null : payloadText;
  } else if (payloadText.trim() !== '') {
    try {
      payload = JSON.parse(payloadText);
    } catch (error) {
      errors.push({ path: 'payload', message: `Not valid JSON (${(error as Error).message}). Choose "Text" to send it as it is.` });
    }
  }

  const maxAttempts = wholeNumber(values['retry-max-attempts'], 'retryPolicy.maxAttempts', 1, 20, errors);
  const backoffSeconds = wholeNumber(values['retry-backoff'], 'retryPolicy.backoffSeconds', 1, 3600, errors);
  const maxBackoffSeconds = values['retry-max-backoff'].trim() === ''
    ? undefined
    : wholeNumber(values['retry-max-backoff'], 'retryPolicy.maxBackoffSeconds', 1, 86_400, errors);
  if (maxBackoffSeconds !== undefined && backoffSeconds !== undefined && maxBackoffSeconds < backoffSeconds) {
    errors.push({ path: 'retryPolicy.maxBackoffSeconds', message: 'Must be at least the first backoff.' });
  }

  const startAt = instant(values['start-at'], 'startAt', errors);
  const endAt = instant(values['end-at'], 'endAt', errors);
  const maxRuns = values['max-runs'].trim() === '' ? null : wholeNumber(values['max-runs'], 'maxRuns', 1, 1_000_000, errors);
  const overlapPolicy = values['overlap-policy'] as OverlapPolicy;
  const catchUpPolicy = values['catch-up-policy'] as CatchUpPolicy;
  const catchUpWindowSeconds = wholeNumber(values['catch-up-window'], 'catchUpWindowSeconds', 1, 7 * 86_400, errors);
  const jitterSeconds = wholeNumber(values.jitter, 'jitterSeconds', 0, 3600, errors);

  if (errors.length > 0) return { errors };
  const name = values.name.trim();
  const timezone = values.timezone.trim();
  return {
    errors,
    body: {
      name: name === '' ? null : name,
      schedule,
      ...(timezone === '' ? {} : { timezone }),
      target: { type: 'http', url, method, headers, ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }) },
      payload,
      retryPolicy: {
        ...(maxAttempts === undefined ? {} : { maxAttempts }),
        ...(backoffSeconds === undefined ? {} : { backoffSeconds }),
        ...(maxBackoffSeconds === undefined ? {} : { maxBackoffSeconds }),
      },
      // Cleared fields are sent as null (or left to their defaults), so an edit can remove them.
      startAt,
      endAt,
      maxRuns: maxRuns ?? null,
      ...(OVERLAP_POLICIES.includes(overlapPolicy) ? { overlapPolicy } : {}),
      ...(CATCH_UP_POLICIES.includes(catchUpPolicy) ? { catchUpPolicy } : {}),
      ...(catchUpWindowSeconds === undefined ? {} : { catchUpWindowSeconds }),
      ...(jitterSeconds === undefined ? {} : { jitterSeconds }),
    },
  };
}

/** An ISO instant with an offset (`2026-12-01T09:00:00Z`), or null when empty. */
function instant(text: string, path: string, errors: FieldError[]): string | null {
  const value = text.trim();
  if (value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value) || Number.isNaN(Date.parse(value))) {
    errors.push({ path, message: 'Enter an instant with its offset, e.g. 2026-12-01T09:00:00Z.' });
    return null;
  }
  return value;
}

function wholeNumber(text: string, path: string, min: number, max: number, errors: FieldError[]): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    errors.push({ path, message: `Enter a whole number from ${min} to ${max}.` });
    return undefined;
  }
  return value;
}
