import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestResources, uniquePrefix, useTestEnvironment } from '../../support/localServices';
import { startWebhookReceiver } from '../../support/webhookReceiver';
import type { WebhookReceiver } from '../../support/webhookReceiver';
import type { Composition } from '../../../lambdas/runtime/composition';
import type { TaskCommands } from '../../../lambdas/app/taskCommands';
import type { WorkExecutor } from '../../../lambdas/app/workExecutor';

/**
 * The claim check: a payload over 300 KB lives in S3, whose client the composition loads only on
 * first use (lambdas/runtime/lazyAdapters.ts). The real use cases on the local S3 and DynamoDB Local.
 */
let parts: Composition;
let commands: TaskCommands;
let executor: WorkExecutor;
let receiver: WebhookReceiver;

beforeAll(async () => {
  const resources = await createTestResources(uniquePrefix('large-payload'));
  useTestEnvironment(resources);
  receiver = await startWebhookReceiver();
  const { readConfig } = await import('../../../lambdas/config');
  const { compose } = await import('../../../lambdas/runtime/composition');
  const { TaskCommands } = await import('../../../lambdas/app/taskCommands');
  const { workExecutorOf } = await import('../../../lambdas/runtime/executorComposition');
  parts = compose(readConfig());
  commands = new TaskCommands({ ...parts, shardCount: parts.config.shardCount, checkTargetUrl: () => null, sealHeaders: async (h) => ({ ...h }) });
  executor = workExecutorOf(parts);
});

afterAll(async () => {
  await receiver?.close();
});

describe('payloads over 300 KB', () => {
  it('should deliver a payload kept in S3 byte for byte, and remove it with its task', async () => {
    // Prepare
    const payload = { blob: 'p'.repeat(400 * 1024) };
    const { taskId } = await commands.create(
      'dana',
      {
        schedule: 'at(2099-01-01T00:00:00Z)',
        target: { type: 'http', url: `${receiver.url}/large`, method: 'POST', headers: {}, timeoutSeconds: 5 },
        payload,
      },
      undefined,
    );
    const stored = await parts.tasks.getPayload('dana', taskId);
    const executionId = await commands.trigger('dana', taskId);
    const scheduledFor = new Date().toISOString();

    // Act
    await executor.execute({ u: 'dana', t: taskId, e: executionId, s: scheduledFor, a: 1, d: Date.parse(scheduledFor), k: 'trigger' });
    await commands.delete('dana', taskId);

    // Assess
    expect(stored?.s3Key).toMatch(/^payloads\//);
    const [delivered] = receiver.requests.filter((r) => r.path === '/large');
    expect(delivered?.body).toBe(JSON.stringify(payload));
    await expect(parts.payloads.get(stored!.s3Key!)).rejects.toThrow();
  });
});
