import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCAL_FUNCTIONS } from '../../../local/lambdaContext';
import { ScannerLoop } from '../../../local/scannerLoop';
import type { ScannerLoopOptions } from '../../../local/scannerLoop';

const loops: ScannerLoop[] = [];

afterEach(() => {
  for (const loop of loops.splice(0)) loop.stop();
});

function startLoop(options: Omit<ScannerLoopOptions, 'fn' | 'log'>): ScannerLoop {
  const loop = new ScannerLoop({ fn: LOCAL_FUNCTIONS.scanner, log: () => undefined, ...options });
  loops.push(loop);
  loop.start();
  return loop;
}

describe('scanner loops (EventBridge Scheduler stand-in)', () => {
  it('should run every shard back to back, never two invocations of one shard at once', async () => {
    // Prepare
    const running = new Map<number, number>();
    let overlap = false;
    const calls: number[] = [];

    // Act
    startLoop({
      shardCount: 3,
      handler: async ({ shard }) => {
        calls.push(shard);
        running.set(shard, (running.get(shard) ?? 0) + 1);
        if (running.get(shard)! > 1) overlap = true;
        await sleep(120);
        running.set(shard, running.get(shard)! - 1);
      },
    });
    await sleep(700);

    // Assess
    expect(overlap).toBe(false);
    for (const shard of [0, 1, 2]) expect(calls.filter((call) => call === shard).length).toBeGreaterThanOrEqual(4);
    expect(new Set(calls)).toEqual(new Set([0, 1, 2]));
  });

  it('should start the next invocation as soon as the previous one returns', async () => {
    // Prepare
    const ends: number[] = [];
    const starts: number[] = [];

    // Act
    startLoop({
      shardCount: 1,
      handler: async () => {
        starts.push(Date.now());
        await sleep(250);
        ends.push(Date.now());
      },
    });
    await sleep(900);

    // Assess
    expect(starts.length).toBeGreaterThanOrEqual(3);
    for (let index = 1; index < starts.length; index += 1) expect(starts[index]! - ends[index - 1]!).toBeLessThan(60);
  });

  it('should start again one second after an invocation throws', async () => {
    // Prepare
    const starts: number[] = [];
    const loop = startLoop({
      shardCount: 1,
      handler: async () => {
        starts.push(Date.now());
        if (starts.length === 1) throw new Error('DynamoDB throttled');
        await sleep(5_000);
      },
    });

    // Act
    await sleep(1_400);

    // Assess
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(990);
    expect(loop.failures[0]).toBe(1);
    expect(loop.health().status).toBe('ok');
  });

  it('should give each invocation a Lambda context with the scanner timeout', async () => {
    const remaining: number[] = [];
    startLoop({
      shardCount: 1,
      handler: async (_event, context) => {
        remaining.push(context.getRemainingTimeInMillis());
        await sleep(1_000);
      },
    });
    await sleep(50);
    expect(remaining[0]).toBeGreaterThan(60_000);
  });

  it('should keep the event loop free when an invocation returns at once', async () => {
    // Prepare
    let calls = 0;
    startLoop({ shardCount: 2, handler: () => Promise.resolve(calls++) });

    // Act
    const timerFiredAfter = await new Promise<number>((resolve) => {
      const startedAt = Date.now();
      setTimeout(() => resolve(Date.now() - startedAt), 20);
    });

    // Assess
    expect(timerFiredAfter).toBeLessThan(200);
    await sleep(300);
    expect(calls).toBeLessThan(20);
  });

  it('should start no invocation after stop()', async () => {
    // Prepare
    let calls = 0;
    const loop = startLoop({
      shardCount: 2,
      handler: async () => {
        calls += 1;
        await sleep(50);
      },
    });
    await sleep(200);

    // Act
    loop.stop();
    await sleep(100);
    const atStop = calls;
    await sleep(400);

    // Assess
    expect(calls).toBe(atStop);
    expect(loop.health().status).toBe('down');
  });
});
