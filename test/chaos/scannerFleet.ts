import { ShardScanner } from '../../lambdas/app/shardScanner';
import type { WorkQueue } from '../../lambdas/app/ports';
import type { FaultInjector } from './faultInjector';
import type { AppPorts } from './inProcessApp';
import { offsetClock, realSleep } from './inProcessApp';
import { InjectedCrash, Invocation, portsOf } from './invocation';
import type { CrashPoint } from './invocation';

/** The scanner's steps, and up to which call of each a crash is placed (query runs every 200 ms). */
export const SCANNER_STEPS: ReadonlyArray<readonly [string, number]> = [
  ['dueIndex.getCursor', 1],
  ['queue.createdAt', 1],
  ['dueIndex.query', 15],
  ['tasks.getHeads', 4],
  ['dueIndex.put', 4],
  ['executions.record', 1],
  ['tasks.advance', 4],
  ['queue.send', 5],
  ['dueIndex.setCursor', 1],
  ['executions.getMany', 1],
  ['executions.get', 1],
];

/** How long a scanner outage lasts: longer than the 5 s after which a late occurrence counts as missed (CATCH_UP_GRACE_MS). */
export const OUTAGE_MS = 8_000;

/** How far apart the two scanners of a shard keep their clocks. */
export const CLOCK_SKEW_MS = 2_000;

/**
 * Two scanners per shard, back to back like EventBridge Scheduler's invocations, overlapping each
 * other: scanner A on this machine's clock, scanner B 2 s ahead or 2 s behind it (alternating).
 * An invocation may die at one step; a fresh one (a cold start) takes over at once.
 */
export class ScannerFleet {
  invocations = 0;
  errors: string[] = [];
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly outages = new Map<number, { from: number; to: number }>();
  private readonly running = new Map<number, Set<Invocation>>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly deps: {
      readonly ports: AppPorts;
      readonly faults: FaultInjector;
      readonly shardCount: number;
      /** How long one invocation runs (TOCK_SCANNER_RUN_MS is 55 s on AWS; short here so crashes and overlaps recur). */
      readonly runMs: number;
    },
  ) {}

  start(): void {
    for (let shard = 0; shard < this.deps.shardCount; shard++) {
      this.loops.push(this.loop(shard, () => 0, this.deps.runMs));
      this.loops.push(this.loop(shard, (i) => (i % 2 === 0 ? CLOCK_SKEW_MS : -CLOCK_SKEW_MS), Math.round(this.deps.runMs * 0.7)));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.loops);
  }

  /**
   * Scanner outages: with probability `rates.scannerOutage` per shard, both of its scanners die at
   * a random instant between `fromMs` and `toMs` and none runs for `OUTAGE_MS` (a scanner function
   * throttled, or its schedule not firing), so work falls due while no one hands it over and the
   * catch-up policy decides what runs when they are back.
   */
  planOutages(fromMs: number, toMs: number): void {
    const { faults } = this.deps;
    for (let shard = 0; shard < this.deps.shardCount; shard++) {
      if (!faults.chance(faults.rates.scannerOutage)) continue;
      const from = fromMs + faults.random() * Math.max(0, toMs - fromMs);
      this.outages.set(shard, { from, to: from + OUTAGE_MS });
      this.timers.push(
        setTimeout(() => {
          if (this.stopping) return;
          faults.count('scanner-outage', `shard ${shard} for ${OUTAGE_MS} ms`);
          for (const invocation of this.running.get(shard) ?? []) invocation.kill('scanner outage');
        }, from - Date.now()),
      );
    }
  }

  private async loop(shard: number, clockOffset: (i: number) => number, runMs: number): Promise<void> {
    const { faults } = this.deps;
    for (let i = 1; !this.stopping; i++) {
      const outage = this.outages.get(shard);
      if (outage && Date.now() >= outage.from && Date.now() < outage.to) {
        await realSleep(outage.to - Date.now());
        continue;
      }
      this.invocations += 1;
      const offset = clockOffset(i);
      if (faults.enabled && offset !== 0) {
        faults.count('scanner-clock-skew');
        faults.count('scanner-overlap');
      }
      const invocation = new Invocation(this.invocations, this.crashPoint(), (step, phase) => {
        faults.count('scanner-crash', `shard ${shard} at ${step} ${phase}`);
        faults.countCrash('scanner', step, phase);
      });
      const ports = portsOf(this.deps.ports, invocation);
      const queue: WorkQueue = {
        createdAt: () => ports.queue.createdAt(),
        send: async (messages) => {
          await ports.queue.send(messages);
          for (const m of messages) faults.event(m.message.e, `scanner #${invocation.id} (shard ${shard}, clock ${offset} ms) sent a=${m.message.a} as ${m.deduplicationId}`);
        },
      };
      const scanner = new ShardScanner({ ...ports, queue, clock: offsetClock(offset), sleep: realSleep });
      const running = this.running.get(shard) ?? new Set<Invocation>();
      this.running.set(shard, running.add(invocation));
      try {
        await scanner.run(shard, runMs);
      } catch (error) {
        if (!(error instanceof InjectedCrash)) {
          this.errors.push(`${(error as Error).name}: ${(error as Error).message}`);
          faults.trace(`${new Date().toISOString()} scanner error on shard ${shard}: ${(error as Error).name}`);
          // A failed invocation: the next one starts a little later (the local scanner loop waits 1 s).
          await realSleep(300);
        }
      } finally {
        running.delete(invocation);
      }
    }
  }

  private crashPoint(): CrashPoint | null {
    const { faults } = this.deps;
    return faults.chance(faults.rates.scannerCrash) ? faults.nextCrashPoint('scanner', SCANNER_STEPS) : null;
  }
}
