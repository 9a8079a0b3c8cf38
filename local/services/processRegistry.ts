import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, isSameProcess, processIdentity, signalProcessGroup, waitForProcessExit } from './processes';

/** One process the stack started, as recorded in the data dir. */
export interface RecordedProcess {
  readonly name: string;
  readonly pid: number;
  /** See processIdentity(): guards against killing a stranger that reused the pid. */
  readonly identity: string | undefined;
}

/** The content of `<dataDir>/stack.json`. */
export interface StackRecord {
  readonly pid: number;
  readonly identity: string | undefined;
  readonly startedAt: string;
  readonly baseUrl?: string;
  readonly endpoints?: Record<string, string>;
  readonly children: readonly RecordedProcess[];
}

/** Thrown when another live stack owns the data dir. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(readonly dataDir: string, readonly ownerPid: number) {
    super(`another Tock stack (pid ${ownerPid}) is using ${dataDir}; stop it first or set TOCK_DATA_DIR elsewhere`);
  }
}

export const STACK_RECORD_FILE = 'stack.json';

/** Reads `<dataDir>/stack.json`, or undefined when there is none (or it is unreadable). */
export function readStackRecord(dataDir: string): StackRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, STACK_RECORD_FILE), 'utf8')) as StackRecord;
  } catch {
    return undefined;
  }
}

/**
 * The pid file of a stack. Claiming it kills whatever a previous stack left running (after a
 * `kill -9` its watchdogs normally take their children down within a second, but a killed watchdog
 * leaves Java behind), because two DynamoDB Local processes must never share one database file.
 */
export class ProcessRegistry {
  private record: StackRecord;

  private constructor(private readonly dataDir: string, record: StackRecord) {
    this.record = record;
  }

  /** Takes the data dir for this process; throws DataDirInUseError if a live stack holds it. */
  static async claim(dataDir: string): Promise<ProcessRegistry> {
    const previous = readStackRecord(dataDir);
    if (previous) {
      if (previous.pid !== process.pid && isSameProcess(previous.pid, previous.identity)) {
        throw new DataDirInUseError(dataDir, previous.pid);
      }
      await killLeftovers(previous.children);
    }
    const registry = new ProcessRegistry(dataDir, {
      pid: process.pid,
      identity: processIdentity(process.pid),
      startedAt: new Date().toISOString(),
      children: [],
    });
    registry.write();
    return registry;
  }

  /** Records a child as soon as it exists, so a crash right after still leaves its pid behind. */
  addChild(name: string, pid: number): void {
    this.record = { ...this.record, children: [...this.record.children, { name, pid, identity: processIdentity(pid) }] };
    this.write();
  }

  /** Adds what the stack wants others (tests, tools) to find: its URL and service endpoints. */
  update(fields: Pick<StackRecord, 'baseUrl' | 'endpoints'>): void {
    this.record = { ...this.record, ...fields };
    this.write();
  }

  /** Removes the pid file after a clean stop. */
  release(): void {
    rmSync(join(this.dataDir, STACK_RECORD_FILE), { force: true });
  }

  private write(): void {
    const file = join(this.dataDir, STACK_RECORD_FILE);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.record, null, 2)}\n`);
    renameSync(temporary, file);
  }
}

async function killLeftovers(children: readonly RecordedProcess[]): Promise<void> {
  const survivors = children.filter((child) => isSameProcess(child.pid, child.identity));
  for (const child of survivors) signalProcessGroup(child.pid, 'SIGKILL');
  for (const child of survivors) {
    if (!(await waitForProcessExit(child.pid, 10_000))) {
      throw new Error(`could not stop ${child.name} (pid ${child.pid}) left over by a previous run`);
    }
  }
}

/** True when `dataDir` has a stack record whose owner is alive (used by tests). */
export function isStackRunning(dataDir: string): boolean {
  const record = existsSync(join(dataDir, STACK_RECORD_FILE)) ? readStackRecord(dataDir) : undefined;
  return record !== undefined && isProcessAlive(record.pid) && isSameProcess(record.pid, record.identity);
}
