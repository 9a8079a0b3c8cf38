/** Every fault the suite injects, as counted in the summary. */
export type FaultKind =
  | 'dynamodb-throttle'
  | 'sqs-5xx'
  | 'scanner-crash'
  | 'scanner-outage'
  | 'scanner-overlap'
  | 'scanner-clock-skew'
  | 'executor-crash'
  | 'executor-kill-mid-request'
  | 'delivery-duplicate'
  | 'delivery-late-duplicate'
  | 'delivery-delay'
  | 'delivery-reorder'
  | 'message-lost'
  | 'task-deleted'
  | 'task-paused';

/** How often each fault strikes (probabilities per call, invocation or message). */
export interface FaultRates {
  /** Per DynamoDB request, below the SDK's retries (it retries up to 3 times). */
  readonly dynamodbThrottle: number;
  /** Per SQS request, below the SDK's retries. */
  readonly sqs5xx: number;
  /** Every `stormEveryMs`, every request of a service fails for `stormMs` (retries run out). */
  readonly stormEveryMs: number;
  readonly stormMs: number;
  /** Per scanner invocation: it dies at one step. */
  readonly scannerCrash: number;
  /** Per shard and run: its scanners are all down for 8 s while work falls due. */
  readonly scannerOutage: number;
  /** Per executor invocation: it dies at one step. */
  readonly executorCrash: number;
  /** Per executor invocation: it dies after the target got its request, and never records. */
  readonly executorKill: number;
  /** Per received message. */
  readonly duplicate: number;
  readonly lateDuplicate: number;
  readonly delay: number;
  /** Per received batch. */
  readonly reorder: number;
  /** Per received message: it is gone (expired) without being processed. */
  readonly lost: number;
}

export const DEFAULT_FAULT_RATES: FaultRates = {
  dynamodbThrottle: 0.04,
  sqs5xx: 0.04,
  stormEveryMs: 9_000,
  stormMs: 900,
  scannerCrash: 0.35,
  scannerOutage: 0.5,
  executorCrash: 0.12,
  executorKill: 0.03,
  duplicate: 0.08,
  lateDuplicate: 0.04,
  delay: 0.1,
  reorder: 0.15,
  lost: 0.01,
};

/** mulberry32: a small seeded generator, so a run's fault decisions can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Decides and counts faults. Faults strike only while `enabled` (not while the workload is set up
 * or the outcome is read back).
 */
export class FaultInjector {
  readonly counts = new Map<FaultKind, number>();
  /** Crash points hit, `<component> <step> <before|after>`. */
  readonly crashPoints = new Map<string, number>();
  enabled = false;
  private readonly stormOffset: Record<'dynamodb' | 'sqs', number>;

  constructor(
    readonly rates: FaultRates,
    readonly random: () => number,
  ) {
    this.stormOffset = { dynamodb: Math.floor(random() * rates.stormEveryMs), sqs: Math.floor(random() * rates.stormEveryMs) };
  }

  /** What happened to each execution, in order (for tracing a slow one). */
  readonly events = new Map<string, string[]>();

  event(executionId: string, text: string): void {
    const events = this.events.get(executionId) ?? [];
    events.push(`${new Date().toISOString().slice(11, 23)} ${text}`);
    this.events.set(executionId, events);
  }

  /** Where details of each fault go (TOCK_CHAOS_LOG). */
  trace: (line: string) => void = () => undefined;

  count(kind: FaultKind, detail?: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (detail !== undefined) this.trace(`${new Date().toISOString()} ${kind} ${detail}`);
  }

  countCrash(component: string, step: string, phase: string): void {
    const key = `${component} ${step} ${phase}`;
    this.crashPoints.set(key, (this.crashPoints.get(key) ?? 0) + 1);
  }

  chance(probability: number): boolean {
    return this.enabled && this.random() < probability;
  }

  /** Between `from` and `to`, inclusive. */
  between(from: number, to: number): number {
    return from + Math.floor(this.random() * (to - from + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /**
   * The next crash point of `component`, in rotation over each step (before and after it) so that
   * every pair of steps gets its crash; the call it strikes is picked at random up to the step's
   * bound (a step the invocation never reaches that often means no crash this time).
   */
  nextCrashPoint(component: string, steps: ReadonlyArray<readonly [string, number]>): { step: string; phase: 'before' | 'after'; occurrence: number } {
    const turn = this.turns.get(component) ?? 0;
    this.turns.set(component, turn + 1);
    const [step, most] = steps[Math.floor(turn / 2) % steps.length]!;
    return { step, phase: turn % 2 === 0 ? 'before' : 'after', occurrence: this.between(1, most) };
  }

  private readonly turns = new Map<string, number>();

  /** Whether a request to `service` fails now: a storm, or bad luck. */
  failsNow(service: 'dynamodb' | 'sqs'): boolean {
    if (!this.enabled) return false;
    const { stormEveryMs, stormMs } = this.rates;
    if ((Date.now() + this.stormOffset[service]) % stormEveryMs < stormMs) return true;
    return this.random() < (service === 'dynamodb' ? this.rates.dynamodbThrottle : this.rates.sqs5xx);
  }
}
