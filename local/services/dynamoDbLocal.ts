import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { localClientConfig } from '../localAws';
import { childExited, spawnTypeScriptChild } from './childProcess';
import { findFreePort } from './freePort';
import { signalProcessGroup } from './processes';

/**
 * C1-only JIT: DynamoDB Local answers in about 2 s instead of 5 s on a 2-core machine. Override with
 * TOCK_DYNAMODB_JAVA_OPTS (for instance an empty string for full C2 throughput in benchmarks).
 */
export const DEFAULT_DYNAMODB_JAVA_OPTS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export interface DynamoDbLocalOptions {
  /** Directory for the database file; undefined runs in memory (tests). */
  readonly dbDir?: string;
  /** JVM options passed through JAVA_TOOL_OPTIONS. */
  readonly javaOptions?: string;
  /** How long to wait for ListTables to answer. */
  readonly readyTimeoutMs?: number;
  /** Called as soon as the pids are known, before readiness (so a pid file can record them). */
  readonly onSpawned?: (pids: { wrapperPid: number; javaPid: number }) => void;
}

/** A running DynamoDB Local, behind its watchdog process. */
export interface DynamoDbLocalService {
  readonly endpoint: string;
  readonly port: number;
  /** The watchdog (node) process; its process group holds Java too. */
  readonly pid: number;
  readonly javaPid: number;
  readonly exited: Promise<void>;
  /** SIGTERM (Java flushes and exits), SIGKILL after `timeoutMs`; resolves when it is gone. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Starts DynamoDB Local on a free port and resolves once ListTables answers. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocalService> {
  if (options.dbDir) mkdirSync(options.dbDir, { recursive: true });
  let lastError: unknown;
  // A port found free can be taken before Java binds it: try again with another one.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      return await startOnce(await findFreePort(), options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocalService> {
  const { child, ready, stderrTail } = await spawnTypeScriptChild<{ javaPid: number }>({
    script: fileURLToPath(new URL('./dynamoDbLocalProcess.ts', import.meta.url)),
    args: [String(process.pid), String(port), options.dbDir ?? ''],
    env: { JAVA_TOOL_OPTIONS: options.javaOptions ?? process.env.TOCK_DYNAMODB_JAVA_OPTS ?? DEFAULT_DYNAMODB_JAVA_OPTS },
  });
  const pid = child.pid!;
  options.onSpawned?.({ wrapperPid: pid, javaPid: ready.javaPid });
  const exited = childExited(child);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const stop = async (timeoutMs = 8_000): Promise<void> => {
    signalProcessGroup(pid, 'SIGTERM');
    const killer = setTimeout(() => signalProcessGroup(pid, 'SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(killer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    ...localClientConfig(endpoint),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (gone) throw new Error(`DynamoDB Local exited during startup:\n${stderrTail()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}\n${stderrTail()}`);
        await sleep(100);
      }
    }
  } catch (error) {
    await stop(1_000);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, pid, javaPid: ready.javaPid, exited, stop };
}
