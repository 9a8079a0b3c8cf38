/**
 * Child process entry: runs fauxqs (SQS + S3) and prints `{"port": n}` when it listens.
 * Started by fauxqs.ts with a loader hook that stubs `node:sqlite` (see there); exits when its
 * parent dies or on SIGTERM/SIGINT.
 */
import { startFauxqs } from 'fauxqs';
import { watchParent } from './processes';

const [parentPidArg, s3StorageDir] = process.argv.slice(2);
const parentPid = Number(parentPidArg);

const server = await startFauxqs({
  port: 0,
  logger: false,
  // No `host`: queue URLs then carry the host the client used (http://127.0.0.1:<port>/...),
  // which resolves everywhere; with a host they read sqs.<region>.<host>:<port>.
  ...(s3StorageDir ? { s3StorageDir } : {}),
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const forced = setTimeout(() => process.exit(0), 2_000);
  forced.unref();
  await server.stop().catch(() => undefined);
  process.exit(0);
}

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
if (Number.isInteger(parentPid) && parentPid > 0) watchParent(parentPid, () => void stop());

process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
