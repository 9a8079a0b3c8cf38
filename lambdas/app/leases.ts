import type { Lease } from '../domain/task';

/**
 * Leases stay on the head after their attempt is recorded: in the instant after a result is
 * written, the lease is what stops a late duplicate delivery from claiming again. An hour after a
 * lease ran out it protects nothing, and head writers drop it.
 */
export const LEASE_RETENTION_MS = 60 * 60 * 1000;

/** Margin on top of the attempt's time-out before another delivery may take the execution over. */
export const LEASE_MARGIN_MS = 15_000;

export function prunableLeases(running: Readonly<Record<string, Lease>>, nowMs: number): string[] {
  return Object.entries(running)
    .filter(([, lease]) => lease.leaseUntil < nowMs - LEASE_RETENTION_MS)
    .map(([id]) => id);
}
