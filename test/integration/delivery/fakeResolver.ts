import { isIP } from 'node:net';
import type { Resolver } from '../../../lambdas/delivery/httpDelivery';

/** A resolver that answers from a script and remembers every hostname it was asked for. */
export interface ScriptedResolver extends Resolver {
  readonly calls: string[];
}

/** Answers the n-th lookup with `answers[n]` (the last one repeats). */
export function scriptedResolver(...answers: ReadonlyArray<readonly string[]>): ScriptedResolver {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<Array<{ address: string; family: 4 | 6 }>> => {
    const answer = answers[Math.min(calls.length, answers.length - 1)];
    calls.push(hostname);
    return answer.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}
