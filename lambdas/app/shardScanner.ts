import type { Clock, DueEntry, DueIndex, ExecutionStore, TaskStore, WorkMessage, WorkQueue } from './ports';
import type { TaskHead } from '../domain/task';
import { parseSchedule, isRecurring } from '../domain/schedule';
import { occurrenceExecutionId } from '../domain/ids';
import { planOccurrence, policyOf } from './occurrencePlan';
import { jitterMs } from '../domain/schedulePolicy';
import type { SkipReason } from '../domain/schedulePolicy';
import { skippedExecution } from '../domain/executionTransitions';
import { isTerminal } from '../domain/execution';
import { prunableLeases } from './leases';
import { SweepPlanner } from './sweepPlanner';
import { runLimited } from './runLimited';

export interface ScannerOptions {
  /** Entries are fetched this far ahead, then handed over at their second. */
  readonly lookaheadMs: number;
  /** Entries written late (due before the cursor when written) are looked for this far behind it. */
  readonly lookbackMs: number;
  /**
   * How often a query reaches back by `lookbackMs`; the others read only what is new. Each look
   * back reads every entry of its range again (and DynamoDB bills it), so not on every poll.
   */
  readonly lookbackEveryMs: number;
  /** Pause between queries when nothing is due sooner. */
  readonly pollMs: number;
  /** How often the cursor is saved. */
  readonly cursorEveryMs: number;
}

/** How often a buffered occurrence checks whether the previous execution has finished. */
const BUFFER_RECHECK_MS = 2000;

export const DEFAULT_SCANNER_OPTIONS: ScannerOptions = { lookaheadMs: 1000, lookbackMs: 5000, lookbackEveryMs: 1000, pollMs: 200, cursorEveryMs: 5000 };

export interface ScannerDeps {
  readonly tasks: TaskStore;
  readonly executions: ExecutionStore;
  readonly dueIndex: DueIndex;
  readonly queue: WorkQueue;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  /** Called with each hand-over's lag behind its due time (for metrics). */
  readonly onHandOver?: (lagMs: number) => void;
}

export interface ScanStats {
  handedOver: number;
  stale: number;
  redriven: number;
}

interface Handover {
  readonly entry: DueEntry;
  readonly message: WorkMessage;
  readonly deduplicationId: string;
}

const key = (e: DueEntry) => `${e.kind}:${e.executionId}:${e.attempt}:${e.dueAt}`;

/**
 * One shard's scanner: for about a minute it hands every due entry of its shard to the work queue
 * at the entry's second, never before, and sweeps older entries whose work went missing.
 */
export class ShardScanner {
  private readonly options: ScannerOptions;
  private readonly sweeps: SweepPlanner;

  constructor(
    private readonly deps: ScannerDeps,
    options: Partial<ScannerOptions> = {},
  ) {
    this.options = { ...DEFAULT_SCANNER_OPTIONS, ...options };
    this.sweeps = new SweepPlanner(deps, async (entries) => {
      const stats: ScanStats = { handedOver: 0, stale: 0, redriven: 0 };
      await this.handOver(await this.prepare(entries, stats));
    });
  }

  async run(shard: number, runForMs: number): Promise<ScanStats> {
    const { clock, dueIndex, queue } = this.deps;
    const started = clock.now().getTime();
    const deadline = started + runForMs;
    const stats: ScanStats = { handedOver: 0, stale: 0, redriven: 0 };
    const cursor = await dueIndex.getCursor(shard);
    const queueCreatedAt = await queue.createdAt();
    // After long downtime, entries older than their TTL are gone anyway.
    let through = Math.max(cursor?.through ?? started - 60_000, started - 7 * 24 * 3600_000);
    if (cursor && cursor.queueCreatedAt !== null && cursor.queueCreatedAt !== queueCreatedAt) {
      // The queue is new: whatever was in flight in the old one is gone. Re-drive from the truth.
      stats.redriven += await this.sweeps.sweep(shard, through - 60 * 60_000, started, `q${queueCreatedAt}`);
    }
    const sent = new Map<string, number>();
    let savedAt = started;
    let sweptAt = 0;
    let lookedBackAt = -Infinity;
    while (clock.now().getTime() < deadline) {
      const now = clock.now().getTime();
      const to = Math.min(now + this.options.lookaheadMs, deadline);
      const lookBack = now - lookedBackAt >= this.options.lookbackEveryMs;
      const from = lookBack ? through - this.options.lookbackMs : through;
      const entries = (await dueIndex.query(shard, from, to)).filter((e) => !sent.has(key(e)));
      if (lookBack) lookedBackAt = now;
      for (const e of entries) sent.set(key(e), e.dueAt);
      if (entries.length > 0) {
        const ready = await this.prepare(entries, stats);
        await this.handOver(ready);
        stats.handedOver += ready.length;
      }
      through = Math.max(through, to);
      for (const [k, dueAt] of sent) if (dueAt < through - this.options.lookbackMs - 1000) sent.delete(k);
      const after = clock.now().getTime();
      if (after - sweptAt >= 10_000) {
        stats.redriven += await this.sweeps.sweepBands(shard, after);
        sweptAt = after;
      }
      if (after - savedAt >= this.options.cursorEveryMs) {
        await dueIndex.setCursor(shard, through, queueCreatedAt);
        savedAt = after;
      }
      const wait = Math.min(this.options.pollMs, deadline - clock.now().getTime());
      if (wait > 0) await this.deps.sleep(wait);
    }
    await dueIndex.setCursor(shard, through, queueCreatedAt);
    return stats;
  }

  /** Checks entries against their tasks and advances recurring tasks; returns what to hand over. */
  private async prepare(entries: DueEntry[], stats: ScanStats): Promise<Handover[]> {
    const heads = new Map(
      (await this.deps.tasks.getHeads(entries.map((e) => ({ userId: e.userId, taskId: e.taskId })))).map((h) => [h.taskId, h]),
    );
    const ready: Handover[] = [];
    for (const entry of entries) {
      const head = heads.get(entry.taskId);
      const handover = head ? await this.plan(entry, head) : null;
      if (handover) ready.push(handover);
      else stats.stale++;
    }
    return ready;
  }

  private async plan(entry: DueEntry, head: TaskHead): Promise<Handover | null> {
    if (entry.kind === 'buffered') return this.planBuffered(entry, head);
    if (entry.kind !== 'occurrence') return this.handoverOf(entry, entry.executionId, entry.scheduledFor);
    // Advanced past by a scan that died, or whose send failed, before it handed the run over: the
    // next scan's lookback finds the entry again and sends it (a second send is harmless: FIFO
    // de-duplication, then the claim), instead of leaving it to the sweeper 30 s later.
    if (entry.gen === head.gen && head.lastHandedOver === entry.executionId && head.nextRunAt !== entry.scheduledFor) {
      return this.handoverOf(entry, entry.executionId, entry.scheduledFor);
    }
    if (entry.gen !== head.gen || head.nextRunAt !== entry.scheduledFor || head.status !== 'ACTIVE') return null;
    const schedule = parseSchedule(head.schedule, head.timezone);
    if (!isRecurring(schedule)) return this.handoverOf(entry, entry.executionId, entry.scheduledFor);
    const now = this.deps.clock.now();
    const policy = policyOf(head);
    const plan = planOccurrence(schedule, head, new Date(entry.scheduledFor), now);
    let runs = [...plan.runs];
    const skipped: Array<[Date, SkipReason]> = plan.skipped.map((t) => [t, 'CATCH_UP']);
    let buffered = head.buffered ?? null;
    if (runs.length > 0 && policy.overlapPolicy !== 'ALLOW' && head.lastHandedOver && !(await this.isSettled(head, head.lastHandedOver))) {
      if (policy.overlapPolicy === 'BUFFER_ONE' && buffered === null) {
        const first = runs.shift()!;
        buffered = occurrenceExecutionId(head.taskId, first);
        await this.deps.dueIndex.put({ ...entry, kind: 'buffered', dueAt: now.getTime() + BUFFER_RECHECK_MS, executionId: buffered, scheduledFor: first.toISOString() });
      }
      skipped.push(...runs.map((t): [Date, SkipReason] => [t, 'OVERLAP']));
      runs = [];
    }
    if (plan.nextRunAt) {
      const nextId = occurrenceExecutionId(head.taskId, plan.nextRunAt);
      await this.deps.dueIndex.put({
        ...entry,
        dueAt: plan.nextRunAt.getTime() + jitterMs(nextId, policy.jitterSeconds),
        executionId: nextId,
        scheduledFor: plan.nextRunAt.toISOString(),
        attempt: 1,
      });
    }
    const skipRecords = skipped.map(([t, reason]) =>
      skippedExecution(
        { executionId: occurrenceExecutionId(head.taskId, t), taskId: head.taskId, userId: head.userId, kind: 'scheduled', scheduledFor: t.toISOString() },
        reason,
        now,
      ),
    );
    // Catch-up ALL: each earlier run gets its own entry, handed over on the next pass.
    for (const t of runs.slice(0, -1)) {
      await this.deps.dueIndex.put({ ...entry, kind: 'catchup', dueAt: now.getTime(), executionId: occurrenceExecutionId(head.taskId, t), scheduledFor: t.toISOString() });
    }
    const last = runs[runs.length - 1];
    const runId = last ? occurrenceExecutionId(head.taskId, last) : null;
    const ownSkip = runId === null ? skipRecords.find((r) => r.executionId === entry.executionId) : undefined;
    const advanced = await this.deps.tasks.advance(head, entry.scheduledFor, {
      nextRunAt: plan.nextRunAt?.toISOString() ?? null,
      runCount: head.runCount + runs.length,
      status: plan.nextRunAt ? 'ACTIVE' : 'COMPLETED',
      statusReason: plan.nextRunAt ? null : plan.completedReason,
      removeLeases: prunableLeases(head.running, now.getTime()),
      lastHandedOver: runId ?? head.lastHandedOver ?? null,
      buffered,
      ...(runId && runId !== entry.executionId ? { redirect: { entry, executionId: runId, scheduledFor: last!.toISOString() } } : {}),
      // This entry's own occurrence, skipped while the entry still names it: a sweep would send
      // it again without its SKIPPED record, so that record moves with the task.
      ...(ownSkip ? { skip: ownSkip } : {}),
    });
    // Another scanner moved the task first (or it was paused meanwhile): the run is theirs, and
    // so are the skips. The winner's ledger: the other skipped occurrences have no entry of their
    // own, so a crash before these writes loses only their ledger records.
    if (!advanced) return null;
    await Promise.allSettled(skipRecords.filter((r) => r !== ownSkip).map((r) => this.deps.executions.record(r)));
    return runId ? this.handoverOf(entry, runId, last!.toISOString()) : null;
  }

  /** BUFFER_ONE: the buffered occurrence runs once the previous execution has finished. */
  private async planBuffered(entry: DueEntry, head: TaskHead): Promise<Handover | null> {
    if (head.status !== 'ACTIVE' || head.buffered !== entry.executionId) return null;
    if (head.lastHandedOver && !(await this.isSettled(head, head.lastHandedOver))) {
      await this.deps.dueIndex.put({ ...entry, dueAt: this.deps.clock.now().getTime() + BUFFER_RECHECK_MS });
      return null;
    }
    if (!(await this.deps.tasks.releaseBuffered(head, entry.executionId))) return null;
    return this.handoverOf(entry, entry.executionId, entry.scheduledFor);
  }

  /** Whether an execution has reached a terminal state (the overlap policy's question). */
  private async isSettled(head: TaskHead, executionId: string): Promise<boolean> {
    const record = await this.deps.executions.get(head.userId, head.taskId, executionId, true);
    return record !== undefined && isTerminal(record.status);
  }

  private handoverOf(entry: DueEntry, executionId: string, scheduledFor: string): Handover {
    const message: WorkMessage = {
      u: entry.userId,
      t: entry.taskId,
      e: executionId,
      s: scheduledFor,
      a: entry.attempt,
      d: Math.max(entry.dueAt, Date.parse(scheduledFor)),
      k: entry.kind,
    };
    // A watch looks again at an attempt already handed over as `id:attempt`: FIFO de-duplication
    // (5 minutes) would drop it under the same id.
    const deduplicationId = entry.kind === 'watch' ? `${executionId}:${entry.attempt}:watch` : `${executionId}:${entry.attempt}`;
    return { entry, message, deduplicationId };
  }

  /** Sends each hand-over at its due instant: never before, and as soon after as the queue allows. */
  private async handOver(ready: Handover[]): Promise<void> {
    const bySecond = new Map<number, Handover[]>();
    for (const h of ready) {
      const group = bySecond.get(h.message.d) ?? [];
      group.push(h);
      bySecond.set(h.message.d, group);
    }
    for (const dueAt of [...bySecond.keys()].sort((a, b) => a - b)) {
      const wait = dueAt - this.deps.clock.now().getTime();
      if (wait > 0) await this.deps.sleep(wait);
      const group = bySecond.get(dueAt)!;
      const chunks: Handover[][] = [];
      for (let i = 0; i < group.length; i += 10) chunks.push(group.slice(i, i + 10));
      await runLimited(chunks, 8, (chunk) => this.deps.queue.send(chunk));
      const sentAt = this.deps.clock.now().getTime();
      for (const h of group) this.deps.onHandOver?.(sentAt - h.message.d);
    }
  }
}
