import type { WorkMessage } from './ports';
import type { ExecutionIdentity } from '../domain/executionTransitions';

/** The execution a work message is about. */
export function identityOf(message: WorkMessage): ExecutionIdentity {
  return {
    executionId: message.e,
    taskId: message.t,
    userId: message.u,
    kind: message.k === 'trigger' ? 'trigger' : 'scheduled',
    scheduledFor: message.s,
  };
}
