import type { TockClient } from '../client/tockClient';
import type { StoredLogin } from './cliConfig';

/** The CLI's outside world, so tests can run it in-process. */
export interface CliIo {
  /** Writes one or more lines to standard output. */
  readonly out: (text: string) => void;
  /** Writes one or more lines to standard error. */
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Reads all of standard input (for `--body -`). */
  readonly readStdin: () => Promise<string>;
  /** Aborted on Ctrl-C: `logs` stops following. */
  readonly signal?: AbortSignal;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** What a command gets after the global options were read. */
export interface CommandContext {
  readonly io: CliIo;
  readonly url: string;
  readonly json: boolean;
  readonly login: StoredLogin | undefined;
  /** A client with the resolved URL and token; fails with a hint when there is no token. */
  client(): TockClient;
}

/** A mistake in the command line: shown with a hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
