import { beforeAll, describe, expect, it } from 'vitest';
import { createTestResources, uniquePrefix, useTestEnvironment } from '../../support/localServices';
import { startWebhookReceiver } from '../../support/webhookReceiver';
import type { WebhookReceiver } from '../../support/webhookReceiver';
import type { Composition } from '../../../lambdas/runtime/composition';
import type { TaskCommands } from '../../../lambdas/app/taskCommands';
import type { TaskQueries } from '../../../lambdas/app/taskQueries';
import type { WorkExecutor } from '../../../lambdas/app/workExecutor';
import type { WorkMessage } from '../../../lambdas/app/ports';
import { occurrenceExecutionId } from '../../../lambdas/domain/ids';

/**
 * The execution states that race in the running system, made deterministic: the real use cases on
 * DynamoDB Local, with the executor called by the test instead of the queue.
 */
let parts: Composition;
let commands: TaskCommands;
let queries: TaskQueries;
let executor: WorkExecutor;
let receiver: WebhookReceiver;
let TaskQueriesClass: typeof TaskQueries;

beforeAll(async () => {
  const resources = await createTestResources(uniquePrefix('lifecycle'));
  useTestEnvironment(resources);
  receiver = await startWebhookReceiver();
  const { readConfig } = await import('../../../lambdas/config');
  const { compose } = await import('../../../lambdas/runtime/composition');
  const { TaskCommands } = await import('../../../lambdas/app/taskCommands');
  const { TaskQueries } = await import('../../../lambdas/app/taskQueries');
  const { workExecutorOf } = await import('../../../lambdas/runtime/executorComposition');
  parts = compose(readConfig());
  commands = new TaskCommands({ ...parts, shardCount: parts.config.shardCount, checkTargetUrl: () => null, sealHeaders: async (h) => ({ ...h }) });
  queries = new TaskQueries({ ...parts, presentHeaders: (h) => ({ ...h }) });
  TaskQueriesClass = TaskQueries;
  executor = workExecutorOf(parts);
});

async function newTask(path: string): Promise<string> {
  const { taskId } = await commands.create(
    'carol',
    {
      schedule: 'at(2099-01-01T00:00:00Z)',
      target: { type: 'http', url: `${receiver.url}${path}`, method: 'POST', headers: {}, timeoutSeconds: 5 },
      payload: { n: 1 },
    },
    undefined,
  );
  return taskId;
}

function messageFor(taskId: string, executionId: string, scheduledFor: string): WorkMessage {
  return { u: 'carol', t: taskId, e: executionId, s: scheduledFor, a: 1, d: Date.parse(scheduledFor), k: 'trigger' };
}

describe('execution lifecycle', () => {
  it('should show the one-shot result that decided the status as lastExecution, even when the newest-executions query lags', async () => {
    // Prepare
    receiver.respond('/lagging', [{ status: 400, body: 'nope' }]);
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    const { taskId } = await commands.create(
      'carol',
      {
        schedule: `at(${at.toISOString().slice(0, 19)})`,
        target: { type: 'http', url: `${receiver.url}/lagging`, method: 'POST', headers: {}, timeoutSeconds: 5 },
        payload: { n: 1 },
      },
      undefined,
    );
    const executionId = occurrenceExecutionId(taskId, at);
    expect((await queries.get('carol', taskId)).runCount).toBe(0);
    await executor.execute({ u: 'carol', t: taskId, e: executionId, s: at.toISOString(), a: 1, d: at.getTime(), k: 'occurrence' });
    const laggingExecutions = Object.assign(Object.create(parts.executions) as Composition['executions'], { latest: async () => undefined });
    const lagging = new TaskQueriesClass({ ...parts, executions: laggingExecutions, presentHeaders: (h) => ({ ...h }) });

    const before = await queries.get('carol', taskId);

    // Act
    const task = await lagging.get('carol', taskId);

    // Assess
    expect(before.runCount).toBe(1);
    expect(task.runCount).toBe(1);
    expect(task.status).toBe('FAILED');
    expect(task.lastExecution).toMatchObject({ executionId, status: 'FAILED', attempt: 1, result: { statusCode: 400, body: 'nope' } });
  });

  it('should show a triggered run as PENDING until an executor claims it', async () => {
    const taskId = await newTask('/pending');
    const executionId = await commands.trigger('carol', taskId);
    const pending = await queries.getExecution('carol', taskId, executionId);
    expect(pending).toMatchObject({ status: 'PENDING', attempt: 0, startedAt: null, kind: 'trigger' });
    expect(await executor.execute(messageFor(taskId, executionId, pending.scheduledFor))).toBe('done');
    expect((await queries.getExecution('carol', taskId, executionId)).status).toBe('SUCCEEDED');
  });

  it('should CANCEL a run whose task was paused before the attempt, and never call the target', async () => {
    const taskId = await newTask('/cancelled');
    const executionId = await commands.trigger('carol', taskId);
    const scheduledFor = (await queries.getExecution('carol', taskId, executionId)).scheduledFor;
    await commands.pause('carol', taskId);
    await executor.execute(messageFor(taskId, executionId, scheduledFor));
    const cancelled = await queries.getExecution('carol', taskId, executionId);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.error?.message).toContain('PAUSED');
    expect(receiver.requests.filter((r) => r.path === '/cancelled')).toHaveLength(0);
  });

  it('should start no attempt of a task deleted before the claim', async () => {
    const taskId = await newTask('/deleted');
    const executionId = await commands.trigger('carol', taskId);
    const scheduledFor = new Date().toISOString();
    await commands.delete('carol', taskId);
    expect(await executor.execute(messageFor(taskId, executionId, scheduledFor))).toBe('done');
    expect(receiver.requests.filter((r) => r.path === '/deleted')).toHaveLength(0);
  });

  it('should let only one of two duplicate deliveries run', async () => {
    receiver.respond('/dup', [{ status: 200, delayMs: 300 }]);
    const taskId = await newTask('/dup');
    const executionId = await commands.trigger('carol', taskId);
    const scheduledFor = (await queries.getExecution('carol', taskId, executionId)).scheduledFor;
    await Promise.all([executor.execute(messageFor(taskId, executionId, scheduledFor)), executor.execute(messageFor(taskId, executionId, scheduledFor))]);
    await executor.execute(messageFor(taskId, executionId, scheduledFor));
    expect(receiver.requests.filter((r) => r.path === '/dup')).toHaveLength(1);
    expect((await queries.getExecution('carol', taskId, executionId)).attempt).toBe(1);
  });
});
