/**
 * `npm start`: the whole of Tock on one machine (CONTRACT.md, "Running it locally").
 * Prints exactly one line on stdout when it is ready, `Tock is ready at http://127.0.0.1:<port>`,
 * and stops cleanly (exit 0) on SIGINT or SIGTERM.
 *
 * Environment: PORT (default 3000, 0 = any free port), TOCK_DATA_DIR (default .tock/), any TOCK_*
 * the handlers read, and the runtime's own TOCK_LOCAL_EXECUTOR_POLLERS, TOCK_LOCAL_VISIBILITY_TIMEOUT,
 * TOCK_LOCAL_ACCESS_LOG, TOCK_LOCAL_EXIT_WITH_PARENT, TOCK_DYNAMODB_JAVA_OPTS.
 */
import { startLocalStack } from './localStack';
import type { LocalStack } from './localStack';
import { commandLineOf, parentPidOf, watchProcesses } from './services/processes';

const STOP_TIMEOUT_MS = 30_000;

function log(message: string, error?: unknown): void {
  if (error === undefined) console.error(`[tock-local] ${message}`);
  else console.error(`[tock-local] ${message}`, error);
}

function port(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw === '') return 3000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`PORT must be a port number, got "${raw}"`);
  return value;
}

/**
 * The processes whose death should stop the stack. Under `npm start` this process runs below
 * npm -> sh -> tsx, and neither a `kill -9` of tsx nor a plain SIGTERM to npm (npm 11 exits
 * without passing it on) reaches it: it would live on, orphaned, holding its port and data dir.
 * So by default it follows tsx (when tsx's CLI started it) and the npm that ran the script.
 * TOCK_LOCAL_EXIT_WITH_PARENT=true follows the direct parent whatever it is; =false follows nothing.
 */
function launchers(): number[] {
  const setting = process.env.TOCK_LOCAL_EXIT_WITH_PARENT;
  if (setting === 'false') return [];
  const underTsxCli = process.execArgv.some((argument) => argument.includes('tsx') && argument.includes('preflight'));
  const pids = setting === 'true' || underTsxCli ? [process.ppid] : [];
  if (process.env.npm_lifecycle_event) {
    // Walk up a few generations to the npm process itself.
    let pid: number | undefined = process.ppid;
    for (let depth = 0; depth < 4 && pid !== undefined && pid > 1; depth += 1) {
      if (/(^|[/\s])npm(-cli\.js)?(\s|$)/.test(commandLineOf(pid))) {
        pids.push(pid);
        break;
      }
      pid = parentPidOf(pid);
    }
  }
  return [...new Set(pids)];
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  let stack: LocalStack | undefined;
  let stopping: Promise<void> | undefined;
  let signalledBeforeReady = false;

  const shutdown = (reason: string, exitCode: number): Promise<void> => {
    stopping ??= (async () => {
      log(`${reason}: stopping`);
      const forced = setTimeout(() => {
        log(`could not stop within ${STOP_TIMEOUT_MS} ms; exiting anyway`);
        process.exit(exitCode || 1);
      }, STOP_TIMEOUT_MS);
      forced.unref();
      await stack?.stop();
      log('stopped');
      // Abandoned scanner invocations may still hold timers: leave now.
      process.exit(exitCode);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // A repeated signal (tsx relays the terminal's Ctrl-C a second time) does not cut the stop short.
    process.on(signal, () => {
      if (!stack) {
        signalledBeforeReady = true;
        return;
      }
      void shutdown(signal, 0);
    });
  }
  const followed = launchers();
  if (followed.length > 0) watchProcesses(followed, (pid) => void shutdown(`launcher process ${pid} gone`, 0));

  try {
    stack = await startLocalStack({ dataDir: process.env.TOCK_DATA_DIR || '.tock', port: port(), log });
  } catch (error) {
    log('could not start', error);
    process.exit(1);
  }
  if (signalledBeforeReady) {
    await shutdown('signal received during startup', 0);
    return;
  }
  void stack.serviceFailure.then((reason) => shutdown(`${reason} unexpectedly`, 1));
  log(`started in ${Date.now() - startedAt} ms (data in ${stack.dataDir})`);
  process.stdout.write(`Tock is ready at ${stack.baseUrl}\n`);
}

await main();
