import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number, length: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function randomChars(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[bytes[i]! % 32];
  return out;
}

/** A time-ordered task id: `tsk_` + a 26-character ULID. */
export function newTaskId(now: Date): string {
  return `tsk_${encodeTime(now.getTime(), 10)}${randomChars(16)}`;
}

export const TASK_ID_PATTERN = /^tsk_[0-9A-HJKMNP-TV-Z]{26}$/;

function pad13(ms: number): string {
  return String(ms).padStart(13, '0');
}

/**
 * The execution of one occurrence: derived from (task, scheduled instant), so every scanner that
 * hands the occurrence over names the same execution, and unique across tasks, so a receiver can
 * de-duplicate by `webhook-id`.
 */
export function occurrenceExecutionId(taskId: string, scheduledFor: Date): string {
  return `exe_${taskId.slice(4)}_${pad13(scheduledFor.getTime())}`;
}

/** A manual trigger's execution: the instant it was asked for plus a random suffix. */
export function triggerExecutionId(taskId: string, now: Date): string {
  return `exe_${taskId.slice(4)}_${pad13(now.getTime())}_t${randomChars(8)}`;
}

const EXECUTION_ID = /^exe_([0-9A-HJKMNP-TV-Z]{26})_(\d{13})(_t[0-9A-HJKMNP-TV-Z]{8})?$/;

export interface ParsedExecutionId {
  readonly taskId: string;
  readonly scheduledForMs: number;
  readonly trigger: boolean;
}

/** Parses an execution id, or returns undefined when it is not one of ours. */
export function parseExecutionId(executionId: string): ParsedExecutionId | undefined {
  const match = EXECUTION_ID.exec(executionId);
  if (!match) return undefined;
  return { taskId: `tsk_${match[1]}`, scheduledForMs: Number(match[2]), trigger: match[3] !== undefined };
}

/** FNV-1a: a stable, well-spread hash for choosing a task's due-index shard. */
export function shardOf(taskId: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < taskId.length; i++) {
    hash ^= taskId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}
