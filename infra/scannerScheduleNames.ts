/**
 * Names of the scanner schedules, shared by the stack (constructs/scannerTriggers.ts) and the ops
 * command (ops/scannerSchedules.ts). Kept free of CDK imports so the command starts fast.
 */
export const SCANNER_SCHEDULE_PREFIX = 'scanner-shard-';

/** The stack's schedule for one shard: `scanner-shard-<n>`. */
export function scannerScheduleName(shard: number): string {
  return `${SCANNER_SCHEDULE_PREFIX}${shard}`;
}
