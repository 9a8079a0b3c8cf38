import { describe, expect, it } from 'vitest';
import { newTaskId, occurrenceExecutionId, parseExecutionId, shardOf, TASK_ID_PATTERN, triggerExecutionId } from '../../../lambdas/domain/ids';

describe('ids', () => {
  const now = new Date('2026-12-01T09:00:00Z');

  it('should make task ids that sort by creation time', () => {
    const a = newTaskId(now);
    const b = newTaskId(new Date(now.getTime() + 1));
    expect(a).toMatch(TASK_ID_PATTERN);
    expect(a < b).toBe(true);
  });

  it('should derive the same execution id for the same task and instant', () => {
    const taskId = newTaskId(now);
    expect(occurrenceExecutionId(taskId, now)).toBe(occurrenceExecutionId(taskId, new Date(now)));
    expect(occurrenceExecutionId(taskId, now)).not.toBe(occurrenceExecutionId(newTaskId(now), now));
  });

  it('should parse what it makes, and nothing else', () => {
    const taskId = newTaskId(now);
    expect(parseExecutionId(occurrenceExecutionId(taskId, now))).toEqual({ taskId, scheduledForMs: now.getTime(), trigger: false });
    expect(parseExecutionId(triggerExecutionId(taskId, now))?.trigger).toBe(true);
    expect(parseExecutionId('exe_../../etc')).toBeUndefined();
  });

  it('should spread tasks over every shard', () => {
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 4000; i++) counts[shardOf(newTaskId(now), 8)]++;
    for (const count of counts) expect(count).toBeGreaterThan(300);
  });
});
