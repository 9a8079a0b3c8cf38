import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli';
import { startStack } from '../support/stack';
import type { RunningStack } from '../support/stack';
import { startWebhookReceiver } from '../support/webhookReceiver';
import type { WebhookReceiver } from '../support/webhookReceiver';

/** The `tock` CLI against `npm start`'s stack: in-process for speed, and once as the installed binary. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
let stack: RunningStack;
let receiver: WebhookReceiver;
let configDir: string;

interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function tock(args: readonly string[], options: { env?: Record<string, string>; signal?: AbortSignal; onOut?: (line: string) => void } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (text) => {
      out.push(text);
      options.onOut?.(text);
    },
    err: (text) => err.push(text),
    env: { TOCK_CONFIG_DIR: configDir, TOCK_URL: stack.baseUrl, ...options.env },
    readStdin: async () => '',
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** `tock ... --json`, parsed; fails the test on a non-zero exit. */
async function tockJson(args: readonly string[]) {
  const run = await tock([...args, '--json']);
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out);
}

function inSeconds(seconds: number): string {
  return new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

beforeAll(async () => {
  [stack, receiver] = await Promise.all([startStack(), startWebhookReceiver()]);
  configDir = mkdtempSync(join(tmpdir(), 'tock-cli-'));
  const login = await tock(['login', '--user', 'carol']);
  expect(login.code, login.err).toBe(0);
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  await stack?.dispose();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('tock login', () => {
  it('should save the local token and URL readable by its owner only', () => {
    const file = join(configDir, 'config.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ url: stack.baseUrl, user: 'carol' });
    expect(saved.token.split('.')).toHaveLength(3);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('should save a token from TOCK_TOKEN after checking it, and refuse a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tock-cli-env-'));
    try {
      const { token } = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
      const good = await tock(['login'], { env: { TOCK_CONFIG_DIR: dir, TOCK_TOKEN: token } });
      expect(good.code, good.err).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).token).toBe(token);

      const bad = await tock(['login'], { env: { TOCK_CONFIG_DIR: mkdtempSync(join(dir, 'bad-')), TOCK_TOKEN: 'not.a.jwt' } });
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('401');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tasks from the command line', () => {
  it('should create, show, list, update, pause, resume and delete a task', async () => {
    // Act: create with readable output
    const created = await tock(['create', '--name', 'standup', '--schedule', 'cron(0 9 ? * MON-FRI *)', '--timezone', 'Europe/Berlin',
      '--target', `${receiver.url}/standup`, '--header', 'X-Team: core', '--payload', '{"room": 4}', '--max-attempts', '4', '--backoff', '5']);
    expect(created.code, created.err).toBe(0);
    const taskId = /Created (tsk_\S+)/.exec(created.out)?.[1];
    expect(taskId).toBeDefined();
    expect(created.out).toContain('every weekday at 09:00 Europe/Berlin time');

    // Assess: get and list
    const got = await tockJson(['get', taskId!]);
    expect(got).toMatchObject({ name: 'standup', timezone: 'Europe/Berlin', payload: { room: 4 }, target: { headers: { 'X-Team': 'core' } } });
    const listed = await tock(['list']);
    expect(listed.out).toMatch(new RegExp(`${taskId}\\s+standup\\s+ACTIVE\\s+every weekday at 09:00 Europe/Berlin time`));

    // Act: update one retry field and the method; the rest of each object stays
    const updated = await tockJson(['update', taskId!, '--max-attempts', '6', '--method', 'put']);
    expect(updated.retryPolicy).toMatchObject({ maxAttempts: 6, backoffSeconds: 5 });
    expect(updated.target).toMatchObject({ method: 'PUT', url: `${receiver.url}/standup`, headers: { 'X-Team': 'core' } });
    expect(updated.version).toBe(got.version + 1);

    // Act: pause, resume, delete
    expect((await tockJson(['pause', taskId!])).status).toBe('PAUSED');
    expect((await tock(['list', '--status', 'paused'])).out).toContain(taskId);
    expect((await tockJson(['resume', taskId!])).status).toBe('ACTIVE');
    const deleted = await tock(['delete', taskId!]);
    expect(deleted.out).toBe(`Deleted ${taskId}`);

    // Assess: gone, with the API's problem and exit code 1
    const gone = await tock(['get', taskId!]);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/^Error: 404 Not Found: /);
  });

  it('should refuse a stale update with 412 when --if-match names an old version', async () => {
    const task = await tockJson(['create', '-s', 'rate(1 hour)', '-t', `${receiver.url}/stale`]);
    await tockJson(['update', task.taskId, '--name', 'first']);
    const stale = await tock(['update', task.taskId, '--name', 'second', '--if-match', String(task.version)]);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('412');
  });

  it('should show the problem detail and each field error, and exit 1', async () => {
    // Act
    const refused = await tock(['create', '--schedule', 'rate(5 minutes)', '--target', 'http://10.0.0.1/hook']);
    const asJson = await tock(['create', '--schedule', 'rate(5 minutes)', '--target', `${receiver.url}/x`, '--max-attempts', '50', '--json']);
    const noTarget = await tock(['create', '--schedule', 'rate(5 minutes)']);

    // Assess
    expect(refused).toMatchObject({ code: 1, out: '' });
    expect(refused.err).toContain('Error: 400 Bad Request: target.url: the host 10.0.0.1 is a refused address');
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.err)).toMatchObject({ status: 400, errors: [{ path: 'retryPolicy.maxAttempts' }] });
    expect(noTarget.code).toBe(1);
    expect(noTarget.err).toMatch(/target/);
    expect((await tockJson(['list'])).items.map((t: { target: { url: string } }) => t.target.url)).not.toContain('http://10.0.0.1/hook');
  });

  it('should exit 2 with a hint on a mistake in the command line', async () => {
    const unknownOption = await tock(['list', '--colour']);
    const unknownCommand = await tock(['frobnicate']);
    const missingId = await tock(['get']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toContain('Run "tock help list"');
    expect(unknownCommand.code).toBe(2);
    expect(missingId).toMatchObject({ code: 2 });
    expect(missingId.err).toContain('<taskId>');
  });

  it('should say how to sign in when there is no token', async () => {
    const run = await tock(['list'], { env: { TOCK_CONFIG_DIR: join(configDir, 'nobody') } });
    expect(run.code).toBe(1);
    expect(run.err).toContain('tock login --user');
  });
});

describe('tock logs and trigger', () => {
  it('should follow executions as they happen, with status code and response body', async () => {
    // Prepare
    receiver.respond('/followed', [{ status: 503, body: 'busy' }, { status: 200, body: 'done at last' }]);
    const task = await tockJson(['create', '-s', `at(${inSeconds(2)})`, '-t', `${receiver.url}/followed`, '--backoff', '1']);
    const controller = new AbortController();
    const lines: string[] = [];

    // Act: follow until the retried execution succeeds
    const following = tock(['logs', task.taskId, '--interval', '200'], {
      signal: controller.signal,
      onOut: (line) => {
        lines.push(line);
        if (line.includes('SUCCEEDED')) controller.abort();
      },
    });
    const timeout = setTimeout(() => controller.abort(), 20_000);
    const run = await following;
    clearTimeout(timeout);

    // Assess
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain(`Following ${task.taskId}`);
    expect(lines.some((line) => /RETRYING\s+attempt 1 .*HTTP 503/.test(line) || /RUNNING/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/SUCCEEDED\s+attempt 2\s+HTTP 200\s+\d+ ms\s+"done at last"/);
  });

  it('should trigger a run now and list it with logs --once --json', async () => {
    // Prepare
    const task = await tockJson(['create', '-s', 'rate(1 day)', '-t', `${receiver.url}/triggered`, '-d', 'plain words', '--text']);

    // Act
    const { executionId } = await tockJson(['trigger', task.taskId]);
    const delivered = await receiver.waitFor((r) => r.path === '/triggered', 10_000);

    // Assess
    expect(delivered.body).toBe('plain words');
    expect(delivered.headers['webhook-id']).toBe(executionId);
    const once = await tock(['logs', task.taskId, '--once', '--json']);
    expect(once.code).toBe(0);
    const executions = once.out.split('\n').map((line) => JSON.parse(line));
    expect(executions.map((e) => e.executionId)).toContain(executionId);
    expect(executions.find((e) => e.executionId === executionId).kind).toBe('trigger');
  });

  it('should set the run policy and list the occurrences it skipped with logs --skipped', async () => {
    // Prepare: a run every second whose target takes 2.5 s, skipping overlaps
    receiver.respond('/slow', [{ status: 200, delayMs: 2500 }]);
    const task = await tockJson(['create', '-s', '* * * * * *', '-t', `${receiver.url}/slow`, '--overlap', 'skip', '--max-runs', '50', '--jitter', '0']);
    try {
      expect(task).toMatchObject({ overlapPolicy: 'SKIP', maxRuns: 50, jitterSeconds: 0 });
      expect((await tock(['get', task.taskId])).out).toMatch(/Overlap:\s+SKIP/);

      // Act
      await receiver.waitFor((r) => r.path === '/slow', 5000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const withSkipped = await tock(['logs', task.taskId, '--once', '--skipped', '--limit', '20']);
      const withoutSkipped = await tock(['logs', task.taskId, '--once', '--limit', '20']);

      // Assess
      expect(withSkipped.out).toMatch(/SKIPPED\s+attempt 0\s+skipped \(OVERLAP\)/);
      expect(withoutSkipped.out).not.toContain('SKIPPED');
    } finally {
      await tock(['delete', task.taskId]);
    }
  });

  it('should preview a schedule with its DST notes', async () => {
    const run = await tock(['preview', '0 2 * * *', '--timezone', 'Europe/Berlin', '--from', '2026-03-28T00:00:00Z', '--count', '2']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain('Runs every day at 02:00 Europe/Berlin time:');
    expect(run.out).toContain('2026-03-29T01:00:00Z');
    expect(run.out).toContain('02:00 does not exist on 2026-03-29');
  });
});

describe('the tock binary', () => {
  it('should run as package.json\'s bin, print JSON and exit non-zero on a refusal', async () => {
    const run = (args: string[]) => new Promise<CliRun>((resolve) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'cli/bin.mjs'), ...args], {
        env: { ...process.env, TOCK_CONFIG_DIR: configDir, TOCK_URL: stack.baseUrl, TOCK_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    });
    const [listed, refused] = await Promise.all([run(['list', '--json']), run(['pause', 'tsk_00000000000000000000000000'])]);
    expect(listed.code, listed.err).toBe(0);
    expect(Array.isArray(JSON.parse(listed.out).items)).toBe(true);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Error: 404');
  });
});
