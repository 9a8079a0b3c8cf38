import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LocalEndpoints } from '../../local/localAws';
import { readStackRecord } from '../../local/services/processRegistry';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const READY_LINE = /^Tock is ready at (http:\/\/\S+)$/;

export interface StartStackOptions {
  /** Extra environment for the stack (PORT is 0 and TOCK_DATA_DIR is `dataDir` unless set here). */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a data dir; by default a fresh temporary one (removed by dispose()). */
  readonly dataDir?: string;
  /** @default 60000 */
  readonly readyTimeoutMs?: number;
}

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `npm start`'s stack running as a child process. */
export interface RunningStack {
  /** Base URL of the running stack (changes on restart(): the port is picked afresh). */
  readonly baseUrl: string;
  readonly dataDir: string;
  /** Pid of the stack process (node running local/start.ts). */
  readonly pid: number;
  /** DynamoDB Local and fauxqs endpoints, read from `<dataDir>/stack.json`. */
  readonly endpoints: LocalEndpoints;
  /** Everything it printed (stdout and stderr, last 5000 lines). */
  output(): string;
  /** Sends `signal` (default SIGTERM) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<ExitResult>;
  /** SIGTERM and wait (SIGKILL after 45 s). */
  stop(): Promise<ExitResult>;
  /** Starts it again on the same data dir and environment; it must have exited. */
  restart(): Promise<void>;
  /**
   * Stops it if it runs and removes the data dir if startStack created it (a temporary data dir is
   * also removed when the test process exits).
   */
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
/** Temporary data dirs this process made; removed at exit if a test only called stop(). */
const ownedDataDirs = new Set<string>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of ownedDataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Spawns `node --import tsx local/start.ts` with PORT=0 and waits for its ready line. */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tock-stack-'));
  if (ownsDataDir) ownedDataDirs.add(dataDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    TOCK_DATA_DIR: dataDir,
    // If the test process dies, the stack (and so its children) follows.
    TOCK_LOCAL_EXIT_WITH_PARENT: 'true',
    ...options.env,
  };
  const lines: string[] = [];
  let child!: ChildProcess;
  let exited!: Promise<ExitResult>;
  let baseUrl = '';

  const launch = async (): Promise<void> => {
    // Spawned as plain node with tsx's loader (not the tsx CLI, which would put a second process
    // in between): the pid is the stack itself, so kill('SIGKILL') really is a kill -9 of it.
    child = spawn(process.execPath, ['--import', TSX_LOADER, 'local/start.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    exited = new Promise<ExitResult>((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    });
    const record = (line: string): void => {
      lines.push(line);
      if (lines.length > 5_000) lines.shift();
    };
    createInterface({ input: child.stderr! }).on('line', record);
    const stdout = createInterface({ input: child.stdout! });
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the stack was not ready within ${timeoutMs} ms:\n${lines.slice(-60).join('\n')}`));
      }, timeoutMs);
      stdout.on('line', (line) => {
        record(line);
        const match = READY_LINE.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the stack exited before it was ready (code ${code}, signal ${signal}):\n${lines.slice(-60).join('\n')}`));
      });
    });
  };

  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitResult> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  const stop = async (): Promise<ExitResult> => {
    const forced = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const result = await kill('SIGTERM');
    clearTimeout(forced);
    return result;
  };

  try {
    await launch();
  } catch (error) {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    get baseUrl() {
      return baseUrl;
    },
    dataDir,
    get pid() {
      return child.pid!;
    },
    get endpoints() {
      const endpoints = readStackRecord(dataDir)?.endpoints;
      if (!endpoints?.dynamodb || !endpoints.sqs || !endpoints.s3) throw new Error(`no endpoints recorded in ${dataDir}/stack.json`);
      return { dynamodb: endpoints.dynamodb, sqs: endpoints.sqs, s3: endpoints.s3 };
    },
    output: () => lines.join('\n'),
    kill,
    stop,
    async restart() {
      if (child.exitCode === null && child.signalCode === null) throw new Error('restart(): the stack is still running; stop() or kill() it first');
      await launch();
    },
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) await stop();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
