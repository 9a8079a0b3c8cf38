import type { WorkMessage } from '../../lambdas/app/ports';
import { WorkExecutor } from '../../lambdas/app/workExecutor';
import type { DeliveryAttempt, WorkExecutorDeps } from '../../lambdas/app/workExecutor';
import type { AttemptResult } from '../../lambdas/domain/executionTransitions';
import type { ChaosReceiver } from './chaosReceiver';
import type { FaultInjector } from './faultInjector';
import type { AppPorts } from './inProcessApp';
import { offsetClock, realSleep } from './inProcessApp';
import { InjectedCrash, Invocation, portsOf } from './invocation';
import type { CrashPoint } from './invocation';

/** The executor's steps, in order (record twice on a takeover): a crash may come before or after any of them. */
export const EXECUTOR_STEPS: ReadonlyArray<readonly [string, number]> = [
  ['executions.get', 1],
  ['tasks.claim', 1],
  ['tasks.renumberLease', 1],
  ['tasks.getPayload', 1],
  ['deliver', 1],
  ['dueIndex.put', 1],
  ['executions.record', 2],
];

/** One attempt as the executor made it (the evidence for "one at a time" and "after DELETE"). */
export interface AttemptLog {
  readonly invocation: number;
  readonly executionId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly scheduledFor: number;
  /** The executor's startedAt: taken before its claim was sent. */
  readonly startedAt: number;
  /** When the request went out. */
  readonly sentAt: number;
  /** When the exchange with the target ended (also for an invocation killed meanwhile). */
  endedAt: number | null;
  result: AttemptResult | null;
}

export type InvocationOutcome = 'done' | 'not-yet' | 'crashed' | 'killed' | 'error';

/**
 * Runs each delivery of a work message as its own executor invocation (a fresh WorkExecutor on
 * ports that may crash at one step, or killed once its target has the request).
 */
export class ExecutorInvoker {
  readonly attempts: AttemptLog[] = [];
  readonly outcomes = new Map<number, InvocationOutcome>();
  readonly errors: string[] = [];
  private nextId = 1;

  constructor(
    private readonly deps: {
      readonly ports: AppPorts;
      readonly faults: FaultInjector;
      readonly receiver: ChaosReceiver;
      readonly deliver: WorkExecutorDeps['deliver'];
      readonly shardCount: number;
      readonly maxAttemptTimeoutMs: number;
    },
  ) {}

  async invoke(message: WorkMessage): Promise<InvocationOutcome> {
    const { faults } = this.deps;
    const id = this.nextId++;
    const began = Date.now();
    const kill = faults.chance(faults.rates.executorKill);
    const point: CrashPoint | null = !kill && faults.chance(faults.rates.executorCrash) ? faults.nextCrashPoint('executor', EXECUTOR_STEPS) : null;
    const invocation = new Invocation(id, point, (step, phase) => {
      faults.count('executor-crash', `${message.e} at ${step} ${phase}`);
      faults.countCrash('executor', step, phase);
    });
    let signalKilled: () => void = () => undefined;
    const killed = new Promise<'killed'>((resolve) => (signalKilled = () => resolve('killed')));
    const deliver = (attempt: DeliveryAttempt, startedAt: Date): Promise<AttemptResult> =>
      invocation.step('deliver', async () => {
        const log: AttemptLog = {
          invocation: id,
          executionId: attempt.identity.executionId,
          taskId: attempt.identity.taskId,
          attempt: attempt.attempt,
          scheduledFor: Date.parse(attempt.identity.scheduledFor),
          startedAt: startedAt.getTime(),
          sentAt: Date.now(),
          endedAt: null,
          result: null,
        };
        this.attempts.push(log);
        const exchange = this.deps.deliver(attempt, startedAt).then((result) => {
          log.endedAt = Date.now();
          log.result = result;
          return result;
        });
        if (!kill) return exchange;
        // Killed mid-request: the target has the request, the executor never learns the answer.
        await Promise.race([this.deps.receiver.arrived(log.executionId, log.attempt, 5_000), exchange]);
        invocation.kill('killed mid-request');
        faults.count('executor-kill-mid-request', `${log.executionId}#${log.attempt}`);
        signalKilled();
        return new Promise<AttemptResult>(() => undefined);
      });
    const executor = new WorkExecutor({
      ...portsOf(this.deps.ports, invocation),
      clock: offsetClock(0),
      sleep: realSleep,
      random: faults.random,
      shardCount: this.deps.shardCount,
      maxAttemptTimeoutMs: this.deps.maxAttemptTimeoutMs,
      deliver,
    });
    let outcome: InvocationOutcome;
    try {
      outcome = await Promise.race([executor.execute(message), killed]);
    } catch (error) {
      if (error instanceof InjectedCrash) {
        outcome = 'crashed';
      } else {
        outcome = 'error';
        this.errors.push(`${(error as Error).name}: ${(error as Error).message}`);
        faults.trace(`${new Date().toISOString()} executor error on ${message.e}#${message.a}: ${(error as Error).name}`);
      }
    }
    this.outcomes.set(id, outcome);
    faults.event(
      message.e,
      `executor #${id} (from ${new Date(began).toISOString().slice(11, 23)}) ${message.k} a=${message.a}${point ? ` crash@${point.step}:${point.phase}` : ''}${kill ? ' kill' : ''} -> ${outcome}${invocation.diedAt ? ` (${invocation.diedAt})` : ''}`,
    );
    return outcome;
  }
}
