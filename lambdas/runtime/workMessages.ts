import type { SQSRecord } from 'aws-lambda';
import type { WorkMessage } from '../app/ports';

/**
 * Every kind a work message may carry. `satisfies` keeps the list complete: a kind added to
 * DueEntry['kind'] and not here fails the type check.
 */
const KINDS = { occurrence: true, retry: true, trigger: true, catchup: true, buffered: true, watch: true } as const satisfies Record<WorkMessage['k'], true>;

/** An ISO 8601 UTC date-time with seconds (what toISOString() writes), e.g. 2026-12-01T09:00:00.000Z. */
const UTC_DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z$/;

function isUtcDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = UTC_DATE_TIME.exec(value);
  const ms = Date.parse(value);
  // Date.parse rolls 2026-02-30 over to March: the calendar date must survive the round trip.
  return match !== null && !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === match[1];
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The work message in a parsed queue body, with only its known fields, or undefined when the body
 * is not one. Written by hand rather than with zod: the scanner, executor and dead-letter bundles
 * need nothing else from it, and zod is most of their size and cold start.
 */
export function parseWorkMessage(body: unknown): WorkMessage | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { u, t, e, s, a, d, k } = body as Record<string, unknown>;
  if (!nonEmpty(u) || !nonEmpty(t) || !nonEmpty(e) || !isUtcDateTime(s)) return undefined;
  if (typeof a !== 'number' || !Number.isSafeInteger(a) || a < 1) return undefined;
  if (typeof d !== 'number' || !Number.isSafeInteger(d)) return undefined;
  if (typeof k !== 'string' || !Object.hasOwn(KINDS, k)) return undefined;
  return { u, t, e, s, a, d, k: k as WorkMessage['k'] };
}

/** A work message from a queue record, or undefined for a body that is not one (poison). */
export function workMessageOf(record: SQSRecord): WorkMessage | undefined {
  try {
    return parseWorkMessage(JSON.parse(record.body));
  } catch {
    return undefined;
  }
}
