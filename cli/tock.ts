/**
 * The `tock` command line: `npm run tock -- <command>` in the repository, or `tock` once the
 * package is installed (cli/bin.mjs). `tock help` lists the commands.
 */
import { runCli } from './runCli';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // The first Ctrl-C stops `logs` cleanly; a second one leaves at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});

const exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  signal: controller.signal,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});
process.exitCode = exitCode;
