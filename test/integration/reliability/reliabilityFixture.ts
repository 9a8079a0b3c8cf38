import { createTaskSchema } from '../../../lambdas/domain/schemas';
import { occurrenceExecutionId } from '../../../lambdas/domain/ids';
import type { WorkMessage } from '../../../lambdas/app/ports';
import type { TaskCommands } from '../../../lambdas/app/taskCommands';
import type { AttemptResult } from '../../../lambdas/domain/executionTransitions';
import { appClients, appPorts, taskCommandsOf } from '../../chaos/inProcessApp';
import type { AppClients, AppPorts } from '../../chaos/inProcessApp';
import { createTestResources, uniquePrefix } from '../../support/localServices';
import type { TestResources } from '../../support/localServices';

/** The real adapters on a fresh table and queues, one shard, for the recovery regression tests. */
export interface ReliabilityFixture {
  readonly resources: TestResources;
  readonly clients: AppClients;
  readonly ports: AppPorts;
  readonly commands: TaskCommands;
  /** A one-shot task due a second ago; returns its id and the message the scanner would send. */
  oneShot(userId: string, overrides?: Record<string, unknown>): Promise<{ taskId: string; message: WorkMessage }>;
}

export const SHARDS = 1;

export async function reliabilityFixture(name: string): Promise<ReliabilityFixture> {
  const resources = await createTestResources(uniquePrefix(name), { visibilityTimeoutSeconds: 5 });
  const clients = appClients(resources.endpoints);
  const ports = appPorts(clients, resources);
  const commands = taskCommandsOf(ports, SHARDS);
  return {
    resources,
    clients,
    ports,
    commands,
    async oneShot(userId, overrides = {}) {
      const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
      const body = createTaskSchema.parse({
        schedule: `at(${at.toISOString().replace('.000Z', 'Z')})`,
        target: { type: 'http', url: 'http://127.0.0.1:9/unused' },
        payload: { n: 1 },
        ...overrides,
      });
      const { taskId } = await commands.create(userId, body, undefined);
      const message: WorkMessage = { u: userId, t: taskId, e: occurrenceExecutionId(taskId, at), s: at.toISOString(), a: 1, d: at.getTime(), k: 'occurrence' };
      return { taskId, message };
    },
  };
}

/** Outcomes a stub target gives, in order (the last repeats). */
export function scriptedTarget(outcomes: ReadonlyArray<AttemptResult | 'hang'>) {
  const calls: Array<{ executionId: string; attempt: number; body: string | undefined }> = [];
  let reached: () => void = () => undefined;
  const firstCall = new Promise<void>((resolve) => (reached = resolve));
  return {
    calls,
    firstCall,
    deliver: (attempt: { identity: { executionId: string }; attempt: number; body: string | undefined }): Promise<AttemptResult> => {
      calls.push({ executionId: attempt.identity.executionId, attempt: attempt.attempt, body: attempt.body });
      reached();
      const outcome = outcomes[Math.min(calls.length - 1, outcomes.length - 1)]!;
      // 'hang': the executor is killed mid-request and never records.
      return outcome === 'hang' ? new Promise<AttemptResult>(() => undefined) : Promise.resolve(outcome);
    },
  };
}

export const OK: AttemptResult = { kind: 'succeeded', statusCode: 200, body: 'ok', durationMs: 1 };
export const UNAVAILABLE: AttemptResult = { kind: 'retriable', statusCode: 503, body: '', error: 'HTTP 503', durationMs: 1 };
