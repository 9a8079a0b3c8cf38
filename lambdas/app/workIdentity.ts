import type { WorkMessage } from './ports';
import type { ExecutionIdentity } from '../domain/executionTransitions';
import { parseExecutionId } from '../domain/ids';

/**
 * The execution a work message is about. A trigger is known by its id, not by the message kind:
 * its retries travel as `retry` messages and must stay triggers.
 */
export function identityOf(message: WorkMessage): ExecutionIdentity {
  return {
    executionId: message.e,
    taskId: message.t,
    userId: message.u,
    kind: message.k === 'trigger' || parseExecutionId(message.e)?.trigger ? 'trigger' : 'scheduled',
    scheduledFor: message.s,
  };
}
