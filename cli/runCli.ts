import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { TockApiError, TockClient } from '../client/tockClient';
import { readLogin, resolveToken, resolveUrl } from './cliConfig';
import type { CliIo, CommandContext } from './cliIo';
import { UsageError } from './cliIo';
import { COMMANDS } from './commands';

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export const USAGE = `Usage: tock <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, command]) => `  ${`${name} ${command.args}`.padEnd(30)}${command.summary}`).join('\n')}
  help [command]                 this help, or a command's options

Global options:
  --url URL    the Tock API (default: TOCK_URL, then the URL saved by login, then http://127.0.0.1:3000)
  --json       print the API's JSON (logs: one execution per line), for scripts
  -h, --help

The token comes from TOCK_TOKEN, else from tock login (kept in $TOCK_CONFIG_DIR or ~/.config/tock).
Exit codes: 0 done, 1 the API refused or could not be reached, 2 a mistake in the command line.`;

/** Runs one command line; resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : COMMANDS[topic];
    io.out(command ? commandHelp(topic!) : USAGE);
    return topic !== undefined && !command ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Error: unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  let json = rest.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    json = values.json === true;
    if (values.help) {
      io.out(commandHelp(name));
      return 0;
    }
    if (positionals.length !== command.positionals.length) {
      throw new UsageError(`${name} takes ${command.positionals.length === 0 ? 'no arguments' : command.positionals.map((p) => `<${p}>`).join(' ')}`);
    }
    const login = readLogin(io.env);
    const url = resolveUrl(values.url as string | undefined, io.env, login);
    const ctx: CommandContext = {
      io,
      url,
      json,
      login,
      client() {
        const token = resolveToken(io.env, login);
        if (!token) throw new Error('not signed in: run "tock login --user <id>" (local mode) or set TOCK_TOKEN');
        return new TockClient({ baseUrl: url, token: () => token, ...(io.fetch ? { fetch: io.fetch } : {}) });
      },
    };
    return await command.run(ctx, values as Record<string, unknown>, positionals);
  } catch (error) {
    return reportError(error, io, json, name);
  }
}

function commandHelp(name: string): string {
  const command = COMMANDS[name]!;
  return `Usage: tock ${name} ${command.args}\n\n${command.summary}${command.help ? `\n\nOptions:\n${command.help}` : ''}\n\nGlobal options: --url URL, --json, -h/--help`;
}

/** Problems show their detail and each field error; usage mistakes a hint. */
function reportError(error: unknown, io: CliIo, json: boolean, command: string): number {
  if (error instanceof TockApiError) {
    if (json) {
      io.err(JSON.stringify(error.problem));
      return 1;
    }
    const { status, title, detail, errors } = error.problem;
    const head = status === 0 ? 'Error' : `Error: ${status} ${title ?? ''}`.trimEnd();
    const lines = [`${head}: ${detail ?? ''}`.replace(/: $/, '')];
    const fields = errors ?? [];
    // The API's detail often is its only field error already; say it once.
    const sameAsDetail = fields.length === 1 && detail === `${fields[0]!.path}: ${fields[0]!.message}`;
    if (!sameAsDetail) for (const field of fields) lines.push(`  ${field.path || '(body)'}: ${field.message}`);
    if (status === 401) lines.push('Sign in again: tock login --user <id> (local mode), or set TOCK_TOKEN.');
    io.err(lines.join('\n'));
    return 1;
  }
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    io.err(`Error: ${error.message}\nRun "tock help ${command}" for its options.`);
    return 2;
  }
  io.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
