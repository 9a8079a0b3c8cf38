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
import { watchParent } from './services/processes';

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
 * Under `tsx local/start.ts` (npm start) this process is tsx's child, and a `kill -9` of tsx would
 * orphan it with its port and data dir. So it follows its parent there by default.
 */
function exitWithParent(): boolean {
  const setting = process.env.TOCK_LOCAL_EXIT_WITH_PARENT;
  if (setting === 'true' || setting === 'false') return setting === 'true';
  return process.execArgv.some((argument) => argument.includes('tsx') && argument.includes('preflight'));
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
  if (exitWithParent()) watchParent(process.ppid, () => void shutdown('parent process gone', 0));

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
