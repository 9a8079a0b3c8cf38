import type { Clock, DueEntry, DueIndex, ExecutionStore, TaskStore, WorkQueue } from './ports';
import { isTerminal } from '../domain/execution';
import type { ExecutionRecord } from '../domain/execution';
import type { Lease } from '../domain/task';
import { isUnrecordedLease } from '../domain/views';

/** Ages at which an entry is checked again: by then its work should be settled or in flight. */
export const SWEEP_BANDS_MS = [30_000, 6 * 60_000, 20 * 60_000] as const;
const BAND_WIDTH_MS = 70_000;

/**
 * Re-drive from the truth (invariant 4). DynamoDB says what is due; SQS is only transport. An
 * entry whose execution is not settled, not retrying on a later entry and not held by a live
 * lease lost its message (a send that never happened, an expired message, a queue emptied by a
 * restart), so it is sent again. A duplicate is harmless: the claim lets one attempt run.
 */
export class SweepPlanner {
  private readonly swept = new Map<string, number>();
  /** Per band, how far its passes have read: a pass reads only the entries that aged into it since. */
  private readonly bandRead = new Map<number, number>();

  constructor(
    private readonly deps: { tasks: TaskStore; executions: ExecutionStore; dueIndex: DueIndex; queue: WorkQueue; clock: Clock },
    /** Hands over a recurring occurrence that was never handed over (the scanner's normal path). */
    private readonly handOverLate: (entries: DueEntry[]) => Promise<void>,
  ) {}

  /** Checks the entries at each sweep age once. Bands overlap between calls; checked entries are remembered. */
  async sweepBands(shard: number, now: number): Promise<number> {
    let redriven = 0;
    for (const band of SWEEP_BANDS_MS) {
      // The band is 70 s wide for the first pass of an invocation (the previous one may have died
      // before its last passes); after that a pass reads on from where the last one got to.
      const from = Math.max(now - band - BAND_WIDTH_MS, this.bandRead.get(band) ?? -Infinity);
      redriven += await this.sweep(shard, from, now - band, `b${band}`);
      this.bandRead.set(band, now - band);
    }
    for (const [k, at] of this.swept) if (at < now - 2 * SWEEP_BANDS_MS[SWEEP_BANDS_MS.length - 1]) this.swept.delete(k);
    return redriven;
  }

  async sweep(shard: number, fromMs: number, toMs: number, tag: string): Promise<number> {
    const entries = (await this.deps.dueIndex.query(shard, fromMs, toMs)).filter((e) => !this.swept.has(`${tag}|${e.executionId}|${e.attempt}`));
    if (entries.length === 0) return 0;
    const redriven = await this.redrive(entries, tag);
    // Remembered only once handled: a sweep that failed half-way (throttled, SQS down) is
    // repeated by the next pass of the same band, not left to the next band minutes later.
    for (const e of entries) this.swept.set(`${tag}|${e.executionId}|${e.attempt}`, e.dueAt);
    return redriven;
  }

  private async redrive(entries: DueEntry[], tag: string): Promise<number> {
    // Executions first: nearly every entry a sweep meets ran long ago, and a run that happened
    // needs nothing more. Only the others are read on their task head (a consistent read, twice
    // the price of the eventually consistent execution read; a third of what one execution cost).
    const records = new Map(
      (await this.deps.executions.getMany(entries.map((e) => ({ userId: e.userId, taskId: e.taskId, executionId: e.executionId })))).map((r) => [
        r.executionId,
        r,
      ]),
    );
    const open = entries.filter((e) => !hasRun(records.get(e.executionId), e));
    if (open.length === 0) return 0;
    const heads = new Map(
      (await this.deps.tasks.getHeads(open.map((e) => ({ userId: e.userId, taskId: e.taskId })))).map((h) => [h.taskId, h]),
    );
    const notHandedOver: DueEntry[] = [];
    const live = open.filter((e) => {
      const head = heads.get(e.taskId);
      if (!head) return false;
      if (e.kind === 'occurrence' && e.gen !== head.gen) return false;
      // A buffered occurrence still waiting is the scanner's to re-check, not lost work: through
      // its 'buffered' entry, and also through the occurrence entry it was buffered from (sent
      // again, it would run beside the previous execution that BUFFER_ONE waits for).
      if (head.buffered === e.executionId) return false;
      // A recurring task still waiting on this occurrence was never handed over: handing over
      // advances the task, so it takes the scanner's normal path.
      if (e.kind === 'occurrence' && head.nextRunAt === e.scheduledFor && head.status === 'ACTIVE' && isRecurringExpression(head.schedule)) {
        notHandedOver.push(e);
        return false;
      }
      return true;
    });
    if (notHandedOver.length > 0) await this.handOverLate(notHandedOver);
    const now = this.deps.clock.now().getTime();
    const watches: DueEntry[] = [];
    const lost = live.filter((e) => {
      const record = records.get(e.executionId);
      if (record && isTerminal(record.status)) return false;
      if (record && record.status === 'RETRYING' && record.attempt >= e.attempt) return false;
      const head = heads.get(e.taskId)!;
      const lease = head.running[e.executionId];
      // Only a lease whose attempt has no result yet holds the execution (as in the claim's
      // condition): one of a recorded attempt, left by a takeover that died before its new lease
      // was written, holds nothing.
      if (lease && lease.leaseUntil >= now && lease.attempt >= e.attempt && isUnrecordedLease(lease, record)) {
        // In flight, or held by an attempt that died (a crash, a restart of everything): look
        // again the moment its lease runs out, rather than at the next band minutes later.
        watches.push(watchOf(e, lease, head.gen));
        return false;
      }
      return true;
    });
    for (const watch of watches) await this.deps.dueIndex.put(watch);
    if (lost.length === 0) return notHandedOver.length;
    await this.deps.queue.send(
      lost.map((e: DueEntry) => ({
        message: {
          u: e.userId,
          t: e.taskId,
          e: e.executionId,
          s: e.scheduledFor,
          a: e.attempt,
          d: Math.max(e.dueAt, Date.parse(e.scheduledFor)),
          k: e.kind,
        },
        deduplicationId: `${e.executionId}:${e.attempt}:${tag}:${Math.floor(now / 60_000)}`,
      })),
    );
    return lost.length + notHandedOver.length;
  }
}

/**
 * A due entry at the instant a lease runs out. Handed over, its message (attempt = the lease's)
 * finds the attempt recorded and does nothing, or takes the execution over.
 */
function watchOf(entry: DueEntry, lease: Lease, gen: number): DueEntry {
  return { ...entry, kind: 'watch', dueAt: lease.leaseUntil + 1, attempt: lease.attempt, gen };
}

/**
 * The entry's work was handed over and attempted: its execution ran to an end (SUCCEEDED, FAILED,
 * or CANCELLED by the claim), or failed and waits for a later retry entry. Handing over advances
 * a recurring task first, so none of these still holds its task up. A SKIPPED record does not
 * count: the scanner writes it before it advances the task, and a scan that died in between
 * leaves the task waiting on this very entry.
 */
function hasRun(record: ExecutionRecord | undefined, entry: DueEntry): boolean {
  if (!record) return false;
  if (record.status === 'SUCCEEDED' || record.status === 'FAILED' || record.status === 'CANCELLED') return true;
  return record.status === 'RETRYING' && record.attempt >= entry.attempt;
}

function isRecurringExpression(schedule: string): boolean {
  return !schedule.trimStart().startsWith('at(');
}
