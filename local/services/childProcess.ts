import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root, so children resolve `node_modules` whatever the caller's cwd is. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A started helper process and the first JSON line it printed on stdout. */
export interface StartedChild<TReady> {
  readonly child: ChildProcess;
  readonly ready: TReady;
  /** The last lines it wrote on stderr, for error messages. */
  stderrTail(): string;
}

export interface SpawnTypeScriptChildOptions {
  /** Absolute path of the .ts entry point. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Extra `--import` specifiers, run after the TypeScript loader. */
  readonly imports?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** How long to wait for the ready line. */
  readonly readyTimeoutMs?: number;
  /** Prefix for forwarded stderr lines; undefined keeps them only in the tail. */
  readonly forwardStderrAs?: string;
}

/**
 * Starts `node --import tsx <script>` in its own process group (so a Ctrl-C in the terminal does not
 * hit it before the parent has drained its work) and waits for its first stdout line, a JSON object
 * saying it is ready. The child is expected to watch its parent pid and exit when the parent dies.
 */
export async function spawnTypeScriptChild<TReady>(options: SpawnTypeScriptChildOptions): Promise<StartedChild<TReady>> {
  const imports = ['--import', tsxLoader, ...(options.imports ?? []).flatMap((specifier) => ['--import', specifier])];
  const child = spawn(process.execPath, [...imports, options.script, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    if (options.forwardStderrAs !== undefined) process.stderr.write(`${options.forwardStderrAs}${line}\n`);
  });
  const stderrTail = (): string => tail.join('\n');
  const lines = createInterface({ input: child.stdout! });
  const timeoutMs = options.readyTimeoutMs ?? 30_000;

  const ready = await new Promise<TReady>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${options.script} was not ready after ${timeoutMs} ms`)), timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${stderrTail()}`.trim()));
    }
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`${options.script} exited early (code ${code}, signal ${signal})`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      try {
        resolve(JSON.parse(line) as TReady);
      } catch {
        fail(new Error(`${options.script} printed "${line}" instead of its ready line`));
      }
    });
  });
  // Keep draining stdout so a chatty child never blocks on a full pipe.
  lines.on('line', () => undefined);
  return { child, ready, stderrTail };
}

/** Resolves when the child has exited (immediately if it already has). */
export function childExited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
