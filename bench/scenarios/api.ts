import type { Percentiles } from '../support/stats';
import { forEachLimited, percentiles, round } from '../support/stats';
import type { TaskClient } from '../support/taskClient';

export interface ApiStats {
  readonly createMs: Percentiles;
  readonly getMs: Percentiles;
  readonly createPerSec: number;
  readonly getPerSec: number;
  /** Both phases together: requests answered per second at `concurrency` in flight. */
  readonly throughputPerSec: number;
  readonly concurrency: number;
  readonly requests: number;
}

export interface CreatedTask {
  readonly taskId: string;
  readonly user: number;
  readonly dueMs: number;
}

/**
 * Creates one task per due time at `concurrency` in flight, then reads each back, timing every
 * request. The tasks it creates are the burst scenario's, so creating them is measured once.
 */
export async function createAndRead(client: TaskClient, dueTimes: readonly number[], url: string, concurrency = 32): Promise<{ stats: ApiStats; tasks: CreatedTask[] }> {
  const tasks: CreatedTask[] = new Array(dueTimes.length);
  const createMs: number[] = [];
  const createStarted = Date.now();
  await forEachLimited(dueTimes, concurrency, async (dueMs, i) => {
    const created = await client.createAt(dueMs, url);
    createMs.push(created.ms);
    tasks[i] = { taskId: created.body.taskId, user: created.user, dueMs };
  });
  const createSeconds = (Date.now() - createStarted) / 1000;
  const getMs: number[] = [];
  const getStarted = Date.now();
  await forEachLimited(tasks, concurrency, async (task) => {
    getMs.push((await client.get(task.taskId, task.user)).ms);
  });
  const getSeconds = (Date.now() - getStarted) / 1000;
  return {
    tasks,
    stats: {
      createMs: percentiles(createMs),
      getMs: percentiles(getMs),
      createPerSec: round(createMs.length / createSeconds, 1),
      getPerSec: round(getMs.length / getSeconds, 1),
      throughputPerSec: round((createMs.length + getMs.length) / (createSeconds + getSeconds), 1),
      concurrency,
      requests: createMs.length + getMs.length,
    },
  };
}

/** Creates tasks without reporting on them (the steady scenario's), at `concurrency` in flight. */
export async function createAll(client: TaskClient, dueTimes: readonly number[], url: string, concurrency = 32): Promise<number> {
  const started = Date.now();
  await forEachLimited(dueTimes, concurrency, async (dueMs) => {
    await client.createAt(dueMs, url);
  });
  return dueTimes.length / ((Date.now() - started) / 1000);
}
