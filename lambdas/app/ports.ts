import type { ExecutionRecord } from '../domain/execution';
import type { Lease, TaskHead } from '../domain/task';

/** One entry of the sharded due index: something to hand over at `dueAt`. */
export interface DueEntry {
  readonly shard: number;
  readonly dueAt: number;
  readonly userId: string;
  readonly taskId: string;
  readonly executionId: string;
  readonly scheduledFor: string;
  /** The attempt the hand-over starts (1 for a new occurrence, n for the n-th retry). */
  readonly attempt: number;
  /**
   * occurrence: the task's next run (checked against the task); retry, trigger, catchup: an
   * execution already decided on; buffered: a BUFFER_ONE run waiting for the previous one;
   * watch: a second look at an execution when the lease of its attempt `attempt` runs out.
   */
  readonly kind: 'occurrence' | 'retry' | 'trigger' | 'catchup' | 'buffered' | 'watch';
  /** The task's schedule generation when the entry was written; stale entries are skipped. */
  readonly gen: number;
}

/** What travels on the work queue. Short keys: every byte of every message is paid for. */
export interface WorkMessage {
  readonly u: string;
  readonly t: string;
  readonly e: string;
  /** scheduledFor, ISO */
  readonly s: string;
  /** attempt this delivery starts */
  readonly a: number;
  /** not before (epoch ms) */
  readonly d: number;
  readonly k: DueEntry['kind'];
}

export interface Page<T> {
  readonly items: T[];
  readonly cursor: string | null;
}

export type ClaimResult =
  | { readonly claimed: true; readonly head: TaskHead; readonly previousLease: Lease | undefined }
  | { readonly claimed: false; readonly reason: 'deleted' | 'not-runnable' | 'held'; readonly head: TaskHead | undefined };

export interface NewTask {
  readonly head: TaskHead;
  readonly payloadJson: string;
  readonly payloadS3Key: string | null;
  readonly firstEntry: DueEntry | null;
  readonly idempotency: { readonly key: string; readonly bodyHash: string } | null;
}

/** Tasks, their payloads and the per-task claim. */
export interface TaskStore {
  /** Creates atomically; returns the existing task id when the idempotency key was used with the same body. */
  create(task: NewTask, ttlSeconds: number): Promise<{ created: true } | { created: false; taskId: string }>;
  getHead(userId: string, taskId: string, consistent: boolean): Promise<TaskHead | undefined>;
  getHeads(keys: ReadonlyArray<{ userId: string; taskId: string }>): Promise<TaskHead[]>;
  getPayload(userId: string, taskId: string, consistent?: boolean): Promise<{ json: string | null; s3Key: string | null } | undefined>;
  listHeads(userId: string, limit: number, cursor: string | undefined): Promise<Page<TaskHead>>;
  /** Replaces the head when its version is still `expectedVersion`; optionally the payload and a new due entry. */
  replace(
    head: TaskHead,
    expectedVersion: number,
    extras: { payloadJson?: string; payloadS3Key?: string | null; entry?: DueEntry | null; removeLeases?: readonly string[] },
  ): Promise<void>;
  delete(userId: string, taskId: string): Promise<TaskHead | undefined>;
  /** Scanner: advance a recurring task past `scheduledFor`, once, whatever scanners race. */
  advance(
    head: TaskHead,
    scheduledFor: string,
    next: {
      nextRunAt: string | null;
      runCount: number;
      status: TaskHead['status'];
      statusReason: string | null;
      removeLeases: readonly string[];
      lastHandedOver: string | null;
      buffered: string | null;
      /** Catch-up: the due entry now stands for this later run; changed only if the task moves. */
      redirect?: { readonly entry: DueEntry; readonly executionId: string; readonly scheduledFor: string };
      /**
       * The SKIPPED record of the occurrence this advance moves past without running it, written
       * only if the task moves: a scanner that loses the advance must not record a skip of a run
       * the winner hands over, and a sweep must find the skip once the task has moved.
       */
      skip?: ExecutionRecord;
    },
  ): Promise<boolean>;
  /** BUFFER_ONE: the buffered occurrence is handed over now, once. */
  releaseBuffered(head: TaskHead, executionId: string): Promise<boolean>;
  claim(args: {
    userId: string;
    taskId: string;
    executionId: string;
    lease: Lease;
    allowedStatuses: ReadonlyArray<TaskHead['status']>;
    recordedAttempt: number;
    now: number;
  }): Promise<ClaimResult>;
  /**
   * Gives a lease this caller holds its real attempt number. A takeover learns of the lost
   * attempt only from the claim's answer, after its lease was written as `recorded + 1`.
   */
  renumberLease(args: { userId: string; taskId: string; executionId: string; lease: Lease; attempt: number }): Promise<boolean>;
}

export interface ExecutionStore {
  get(userId: string, taskId: string, executionId: string, consistent: boolean): Promise<ExecutionRecord | undefined>;
  getMany(keys: ReadonlyArray<{ userId: string; taskId: string; executionId: string }>): Promise<ExecutionRecord[]>;
  /** Newest first; the run ledger's SKIPPED records only when asked for. */
  list(userId: string, taskId: string, limit: number, cursor: string | undefined, includeSkipped?: boolean): Promise<Page<ExecutionRecord>>;
  /** The newest execution that ran or will run (not a SKIPPED ledger record). */
  latest(userId: string, taskId: string): Promise<ExecutionRecord | undefined>;
  /** Writes the record unless a record of the same or a later attempt (or a terminal one) is there. */
  record(execution: ExecutionRecord): Promise<boolean>;
}

export interface DueIndex {
  put(entry: DueEntry): Promise<void>;
  /** Entries of one shard with `fromMs < dueAt <= toMs`, oldest first. */
  query(shard: number, fromMs: number, toMs: number): Promise<DueEntry[]>;
  /** Points an entry at another execution (catch-up hands over a later occurrence). */
  redirect(entry: DueEntry, executionId: string, scheduledFor: string): Promise<void>;
  getCursor(shard: number): Promise<{ through: number; queueCreatedAt: string | null } | undefined>;
  setCursor(shard: number, through: number, queueCreatedAt: string | null): Promise<void>;
}

export interface WorkQueue {
  send(messages: ReadonlyArray<{ message: WorkMessage; deduplicationId: string }>): Promise<void>;
  /** When the queue was created: a new queue has lost whatever was in flight. */
  createdAt(): Promise<string | null>;
}

export interface PayloadStore {
  put(key: string, body: string): Promise<void>;
  get(key: string): Promise<string>;
  delete(key: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
