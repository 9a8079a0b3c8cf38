import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { childExited, spawnTypeScriptChild } from './childProcess';
import { signalProcessGroup } from './processes';

/**
 * fauxqs 2.x imports `node:sqlite` at load time (for its optional SQLite persistence), which
 * Node 20 does not have. This resolve hook hands it a stub whose DatabaseSync throws if anything
 * ever constructs it; with `s3StorageDir` and no `dataDir`, nothing does.
 */
const SQLITE_STUB = `data:text/javascript,${encodeURIComponent(
  'export class DatabaseSync { constructor() { throw new Error("node:sqlite needs Node 22.5+; fauxqs persistence is not used locally"); } }',
)}`;
const SQLITE_HOOKS = `export async function resolve(specifier, context, next) {
  if (specifier === 'node:sqlite') return { url: ${JSON.stringify(SQLITE_STUB)}, shortCircuit: true };
  return next(specifier, context);
}`;
/** An `--import` specifier that registers the hook (data: URLs are valid `--import` targets). */
export const SQLITE_STUB_IMPORT = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(SQLITE_HOOKS)}`)});`,
)}`;

export interface FauxqsOptions {
  /** Keep S3 objects as files here (survives restarts). Undefined keeps them in memory. */
  readonly s3StorageDir?: string;
}

/** A running fauxqs child: SQS and S3 on one endpoint. Queues live in memory by design. */
export interface FauxqsService {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process is gone. */
  stop(timeoutMs?: number): Promise<void>;
  /** Resolves when the process exits for any reason. */
  readonly exited: Promise<void>;
}

/** Starts fauxqs in a child Node process and waits until it listens. */
export async function startFauxqs(options: FauxqsOptions = {}): Promise<FauxqsService> {
  if (options.s3StorageDir) mkdirSync(options.s3StorageDir, { recursive: true });
  const { child, ready } = await spawnTypeScriptChild<{ port: number }>({
    script: fileURLToPath(new URL('./fauxqsProcess.ts', import.meta.url)),
    args: [String(process.pid), options.s3StorageDir ?? ''],
    imports: [SQLITE_STUB_IMPORT],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', FAUXQS_HOST: '' },
    forwardStderrAs: '[fauxqs] ',
  });
  const exited = childExited(child);
  const pid = child.pid!;
  return {
    endpoint: `http://127.0.0.1:${ready.port}`,
    port: ready.port,
    pid,
    exited,
    async stop(timeoutMs = 3_000) {
      signalProcessGroup(pid, 'SIGTERM');
      const killer = setTimeout(() => signalProcessGroup(pid, 'SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(killer);
    },
  };
}
