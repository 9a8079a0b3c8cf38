import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, ProcessRegistry, readStackRecord, STACK_RECORD_FILE } from '../../../local/services/processRegistry';
import type { StackRecord } from '../../../local/services/processRegistry';
import { isProcessAlive, processIdentity, waitForProcessExit } from '../../../local/services/processes';

const sleepers: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const sleeper of sleepers.splice(0)) sleeper.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sleeper(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
  sleepers.push(child);
  return child.pid!;
}

function dataDirWith(record: StackRecord): string {
  const dir = mkdtempSync(join(tmpdir(), 'tock-registry-'));
  dirs.push(dir);
  writeFileSync(join(dir, STACK_RECORD_FILE), JSON.stringify(record));
  return dir;
}

async function deadPid(): Promise<number> {
  const pid = sleeper();
  process.kill(pid, 'SIGKILL');
  await waitForProcessExit(pid, 5_000);
  return pid;
}

describe('process registry (the pid file in TOCK_DATA_DIR)', () => {
  it('should kill the children a kill -9ed stack left behind, then record itself', async () => {
    // Prepare
    const leftover = sleeper();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const dir = dataDirWith({
      pid: await deadPid(),
      identity: 'gone',
      startedAt: new Date().toISOString(),
      children: [{ name: 'dynamodb-local-java', pid: leftover, identity: processIdentity(leftover) }],
    });

    // Act
    const registry = await ProcessRegistry.claim(dir);

    // Assess
    expect(await waitForProcessExit(leftover, 5_000)).toBe(true);
    expect(readStackRecord(dir)).toMatchObject({ pid: process.pid, children: [] });
    registry.release();
    expect(readStackRecord(dir)).toBeUndefined();
  });

  it('should not kill a process that merely reuses a recorded pid', async () => {
    // Prepare: same pid, different start time.
    const stranger = sleeper();
    const dir = dataDirWith({
      pid: await deadPid(),
      identity: 'gone',
      startedAt: new Date().toISOString(),
      children: [{ name: 'fauxqs', pid: stranger, identity: 'started-at-another-time' }],
    });

    // Act
    await ProcessRegistry.claim(dir);

    // Assess
    expect(isProcessAlive(stranger)).toBe(true);
  });

  it('should refuse a data dir whose stack is still running', async () => {
    // Prepare
    const owner = sleeper();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const dir = dataDirWith({ pid: owner, identity: processIdentity(owner), startedAt: new Date().toISOString(), children: [] });

    // Act, Assess
    await expect(ProcessRegistry.claim(dir)).rejects.toBeInstanceOf(DataDirInUseError);
    expect(isProcessAlive(owner)).toBe(true);
  });

  it('should record children as they start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tock-registry-'));
    dirs.push(dir);
    const registry = await ProcessRegistry.claim(dir);
    const child = sleeper();
    registry.addChild('fauxqs', child);
    registry.update({ baseUrl: 'http://127.0.0.1:1234' });
    expect(readStackRecord(dir)).toMatchObject({ baseUrl: 'http://127.0.0.1:1234', children: [{ name: 'fauxqs', pid: child, identity: processIdentity(child) }] });
  });
});
