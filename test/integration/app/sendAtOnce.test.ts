import { beforeAll, describe, expect, it } from 'vitest';
import { createTestResources, uniquePrefix, useTestEnvironment } from '../../support/localServices';
import type { TaskCommands } from '../../../lambdas/app/taskCommands';
import type { WorkMessage, WorkQueue } from '../../../lambdas/app/ports';
import type { CreateTaskBody } from '../../../lambdas/domain/schemas';
import { occurrenceExecutionId } from '../../../lambdas/domain/ids';

/**
 * A one-shot task created (or moved) to run now would otherwise wait for the scanner's
 * once-a-second look back; it is sent at once, with the scanner's de-duplication id.
 */
let commands: TaskCommands;
const sent: Array<{ message: WorkMessage; deduplicationId: string }> = [];

beforeAll(async () => {
  const resources = await createTestResources(uniquePrefix('send-at-once'));
  useTestEnvironment(resources);
  const { readConfig } = await import('../../../lambdas/config');
  const { compose } = await import('../../../lambdas/runtime/composition');
  const { TaskCommands } = await import('../../../lambdas/app/taskCommands');
  const parts = compose(readConfig());
  const queue: WorkQueue = { send: async (messages) => void sent.push(...messages), createdAt: async () => '1' };
  commands = new TaskCommands({ ...parts, queue, shardCount: parts.config.shardCount, checkTargetUrl: () => null, sealHeaders: async (h) => ({ ...h }) });
});

const body = (schedule: string): CreateTaskBody => ({
  schedule,
  target: { type: 'http', url: 'http://127.0.0.1:9/x', method: 'POST', headers: {}, timeoutSeconds: 5 },
  payload: null,
});
const at = (ms: number) => `at(${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)})`;
const sentFor = (taskId: string) => sent.filter((m) => m.message.t === taskId);

describe('work due at once', () => {
  it('should send a one-shot run due now, or a few seconds ago, as soon as the task is created', async () => {
    // Prepare
    const when = Math.floor((Date.now() - 10_000) / 1000) * 1000;

    // Act
    const { taskId } = await commands.create('nia', body(at(when)), undefined);

    // Assess
    const executionId = occurrenceExecutionId(taskId, new Date(when));
    expect(sentFor(taskId)).toEqual([
      { message: expect.objectContaining({ t: taskId, e: executionId, a: 1, k: 'occurrence' }), deduplicationId: `${executionId}:1` },
    ]);
  });

  it('should leave a one-shot run due later, and every recurring run, to the scanner', async () => {
    // Act
    const later = await commands.create('nia', body(at(Date.now() + 60_000)), undefined);
    const recurring = await commands.create('nia', body('* * * * * *'), undefined);

    // Assess
    expect(sentFor(later.taskId)).toEqual([]);
    expect(sentFor(recurring.taskId)).toEqual([]);
  });

  it('should send the run at once when an update moves a one-shot task to now, but not on a replayed create', async () => {
    // Prepare
    const first = body(at(Date.now() + 3_600_000));
    const { taskId } = await commands.create('nia', first, 'key-1');
    const when = Math.floor(Date.now() / 1000) * 1000;

    // Act
    await commands.update('nia', taskId, { schedule: at(when) }, undefined);
    const replay = await commands.create('nia', first, 'key-1');

    // Assess
    expect(replay).toEqual({ taskId, replayed: true });
    expect(sentFor(taskId).map((m) => m.message.e)).toEqual([occurrenceExecutionId(taskId, new Date(when))]);
  });
});
