import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentHealth } from './apiServer';
import { createLambdaContext } from './lambdaContext';
import type { LocalFunction } from './lambdaContext';
import type { ScannerHandler } from './lambdaHandlers';

export interface ScannerLoopOptions {
  readonly handler: ScannerHandler;
  readonly shardCount: number;
  readonly fn: LocalFunction;
  /** Pause after a failed invocation. @default 1000 */
  readonly retryDelayMs?: number;
  /**
   * Least time between the starts of two invocations of one shard. The scanner normally works
   * through its whole run (TOCK_SCANNER_RUN_MS); this only keeps one that returns at once from
   * spinning the event loop. @default 100
   */
  readonly minIntervalMs?: number;
  readonly log?: (message: string, error?: unknown) => void;
}

/**
 * Stands in for EventBridge Scheduler, which starts one scanner invocation per shard per minute on
 * AWS. Locally each shard runs back to back: the next invocation starts when the previous returns,
 * or a second after it throws. Stopping abandons invocations in flight: they are idempotent, and
 * whatever they had not handed over is found again by the next scan.
 */
export class ScannerLoop {
  readonly invocations: number[];
  readonly failures: number[];
  private running = false;
  private generation = 0;
  private readonly log: (message: string, error?: unknown) => void;
  private readonly lastFailure = new Map<number, { message: string; loggedAt: number; repeats: number }>();

  constructor(private readonly options: ScannerLoopOptions) {
    this.invocations = new Array<number>(options.shardCount).fill(0);
    this.failures = new Array<number>(options.shardCount).fill(0);
    this.log = options.log ?? ((message, error) => console.error(message, error ?? ''));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation += 1;
    for (let shard = 0; shard < this.options.shardCount; shard += 1) void this.run(shard, this.generation);
  }

  /** Stops starting invocations; the ones in flight are left to finish or fail on their own. */
  stop(): void {
    this.running = false;
    this.generation += 1;
  }

  health(): ComponentHealth {
    return this.running ? { status: 'ok' } : { status: 'down', detail: 'not running' };
  }

  private async run(shard: number, generation: number): Promise<void> {
    const active = (): boolean => this.running && this.generation === generation;
    while (active()) {
      const startedAt = Date.now();
      this.invocations[shard]! += 1;
      let failed = false;
      try {
        await this.options.handler({ shard }, createLambdaContext(this.options.fn, startedAt));
      } catch (error) {
        failed = true;
        this.failures[shard]! += 1;
        if (active()) this.report(shard, error);
      }
      const pause = failed ? (this.options.retryDelayMs ?? 1_000) : Math.max(0, startedAt + (this.options.minIntervalMs ?? 100) - Date.now());
      // Always yield to the event loop, even when the handler resolved synchronously.
      await sleep(pause);
    }
  }

  /** Logs a failure, but the same message again at most every 30 s per shard (placeholder handlers throw on every call). */
  private report(shard: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const previous = this.lastFailure.get(shard);
    const now = Date.now();
    if (previous && previous.message === message && now - previous.loggedAt < 30_000) {
      previous.repeats += 1;
      return;
    }
    const repeats = previous && previous.message === message && previous.repeats > 0 ? ` (${previous.repeats} more times since last logged)` : '';
    this.log(`scanner shard ${shard} failed${repeats}; retrying in ${this.options.retryDelayMs ?? 1_000} ms`, error);
    this.lastFailure.set(shard, { message, loggedAt: now, repeats: 0 });
  }
}
