import type { Clock, DueIndex, ExecutionStore, TaskStore, WorkMessage } from './ports';
import { isTerminal } from '../domain/execution';
import { identityOf } from './workIdentity';
import { attemptsMade, failedExecution, historyBeforeAttempt } from '../domain/executionTransitions';
import { isUnrecordedLease } from '../domain/views';
import { retryDelayMs } from '../domain/retryPolicy';
import { shardOf } from '../domain/ids';

export type Settlement = 'already-settled' | 'redriven' | 'failed' | 'in-flight' | 'task-gone';

/**
 * Settles an execution whose message was dead-lettered (the executor crashed or failed on it
 * `maxReceiveCount` times). With attempts left it is re-driven through the due index, like a
 * retry; otherwise it is marked FAILED with the reason.
 */
export class DeadLetterSettler {
  constructor(
    private readonly deps: {
      tasks: TaskStore;
      executions: ExecutionStore;
      dueIndex: DueIndex;
      clock: Clock;
      random: () => number;
      shardCount: number;
    },
  ) {}

  async settle(message: WorkMessage, receiveCount: number): Promise<Settlement> {
    const now = this.deps.clock.now();
    const record = await this.deps.executions.get(message.u, message.t, message.e, true);
    if (record && isTerminal(record.status)) return 'already-settled';
    if (record && record.status === 'RETRYING' && record.attempt >= message.a) return 'already-settled';
    const head = await this.deps.tasks.getHead(message.u, message.t, true);
    if (!head) return 'task-gone';
    const lease = head.running[message.e];
    const unrecorded = lease && isUnrecordedLease(lease, record) ? lease : undefined;
    if (unrecorded && unrecorded.leaseUntil >= now.getTime()) return 'in-flight';
    const identity = identityOf(message);
    const made = attemptsMade(record, unrecorded);
    const history = historyBeforeAttempt(record, unrecorded);
    if (made >= head.retryPolicy.maxAttempts) {
      const reason = `dead-lettered after ${receiveCount} deliveries with no attempts left`;
      await this.deps.executions.record(failedExecution(identity, history, made, reason, now, record));
      return 'failed';
    }
    const dueAt = now.getTime() + retryDelayMs(head.retryPolicy, made + 1, this.deps.random);
    await this.deps.dueIndex.put({
      shard: shardOf(message.t, this.deps.shardCount),
      dueAt,
      userId: message.u,
      taskId: message.t,
      executionId: message.e,
      scheduledFor: message.s,
      attempt: made + 1,
      kind: 'retry',
      gen: head.gen,
    });
    if (made > (record?.attempt ?? 0)) {
      await this.deps.executions.record({
        ...identity,
        status: 'RETRYING',
        attempt: made,
        attempts: history,
        startedAt: record?.startedAt ?? history[0]?.startedAt ?? null,
        finishedAt: null,
        result: record?.result ?? null,
        error: { message: `dead-lettered after ${receiveCount} deliveries; re-driven` },
        nextAttemptAt: new Date(dueAt).toISOString(),
      });
    }
    return 'redriven';
  }
}
