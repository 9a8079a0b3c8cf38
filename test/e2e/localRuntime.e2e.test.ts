import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../local/localAws';
import { signJwt } from '../../local/localJwt';
import { readStackRecord, STACK_RECORD_FILE } from '../../local/services/processRegistry';
import type { RecordedProcess } from '../../local/services/processRegistry';
import { isProcessAlive, waitForProcessExit } from '../../local/services/processes';
import { call, token } from '../support/api';
import { startStack } from '../support/stack';
import type { RunningStack } from '../support/stack';

/**
 * `npm start`'s entry point (local/start.ts) as a child process: readiness, auth at the edge, a
 * clean stop, and what a kill -9 leaves behind. Whether tasks run is the contract suite's business.
 */
const stacks: RunningStack[] = [];

async function launch(options: Parameters<typeof startStack>[0] = {}): Promise<RunningStack> {
  const stack = await startStack(options);
  stacks.push(stack);
  return stack;
}

afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.dispose()));
});

function children(stack: RunningStack): readonly RecordedProcess[] {
  return readStackRecord(stack.dataDir)?.children ?? [];
}

function expiredToken(stack: RunningStack): string {
  const privateKey = createPrivateKey(readFileSync(join(stack.dataDir, 'keys', 'jwt-private.pem')));
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ iss: 'tock-local', aud: 'tock', sub: 'alice', iat: now - 7200, exp: now - 3600 }, { privateKey });
}

describe('the local runtime (npm start)', () => {
  it('should print its URL once healthy, issue tokens, and guard /v1 with 401 problems', async () => {
    // Prepare
    const stack = await launch();

    // Act
    const health = await call('GET', `${stack.baseUrl}/health`);
    const alice = await token(stack.baseUrl, 'alice');
    const badBody = await call('POST', `${stack.baseUrl}/local/token`, { user: 'alice' });
    const refusals = await Promise.all([
      call('GET', `${stack.baseUrl}/v1/tasks`),
      call('GET', `${stack.baseUrl}/v1/tasks`, undefined, { token: 'not-a-jwt' }),
      call('GET', `${stack.baseUrl}/v1/tasks`, undefined, { token: expiredToken(stack) }),
      call('GET', `${stack.baseUrl}/v1/tasks`, undefined, { token: `${alice.slice(0, -4)}AAAA` }),
    ]);

    // Assess
    expect(stack.output().split('\n').filter((line) => line.startsWith('Tock is ready at '))).toEqual([`Tock is ready at ${stack.baseUrl}`]);
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', components: { dynamodb: 'ok', sqs: 'ok', executorPollers: 'ok', dlqPoller: 'ok', scanners: 'ok' } });
    expect(alice.split('.')).toHaveLength(3);
    expect(badBody.status).toBe(400);
    expect(badBody.json.errors[0].path).toBe('userId');
    for (const refusal of refusals) {
      expect(refusal.status).toBe(401);
      expect(refusal.headers.get('content-type')).toBe('application/problem+json');
      expect(refusal.json).toMatchObject({ type: expect.any(String), title: 'Unauthorized', status: 401, detail: expect.any(String) });
    }
    expect(refusals[2]!.json.detail).toMatch(/expired/);
  });

  it('should stop on SIGTERM with exit code 0, taking its child processes and pid file with it', async () => {
    // Prepare
    const stack = await launch();
    const started = children(stack);
    expect(started.map((child) => child.name).sort()).toEqual(['dynamodb-local-java', 'dynamodb-local-watchdog', 'fauxqs']);

    // Act
    const exit = await stack.kill('SIGTERM');

    // Assess
    expect(exit).toEqual({ code: 0, signal: null });
    for (const child of started) expect(isProcessAlive(child.pid), child.name).toBe(false);
    expect(existsSync(join(stack.dataDir, STACK_RECORD_FILE))).toBe(false);
    expect(stack.output()).toMatch(/SIGTERM: stopping/);
  });

  it('should come back after kill -9 with its data, its keys and no stray processes', async () => {
    // Prepare: a stack with one item in DynamoDB and a token issued by it.
    const stack = await launch();
    const tableName = 'tock-main';
    await new DynamoDBClient(localClientConfig(stack.endpoints.dynamodb)).send(
      new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'E2E#probe' }, sk: { S: 'PROBE' }, note: { S: 'survives kill -9' } } }),
    );
    const alice = await token(stack.baseUrl, 'alice');
    const before = children(stack);

    // Act: kill -9 the stack and its DynamoDB watchdog together, so Java is orphaned with nobody
    // left to stop it but the next start.
    const watchdog = before.find((child) => child.name === 'dynamodb-local-watchdog')!;
    const java = before.find((child) => child.name === 'dynamodb-local-java')!;
    process.kill(watchdog.pid, 'SIGKILL');
    const exit = await stack.kill('SIGKILL');
    const fauxqs = before.find((child) => child.name === 'fauxqs')!;
    expect(await waitForProcessExit(fauxqs.pid, 10_000)).toBe(true);
    const javaOrphaned = isProcessAlive(java.pid);
    await stack.restart();

    // Assess
    expect(exit.signal).toBe('SIGKILL');
    expect(javaOrphaned).toBe(true);
    expect(isProcessAlive(java.pid)).toBe(false);
    expect((await call('GET', `${stack.baseUrl}/health`)).status).toBe(200);
    const item = await new DynamoDBClient(localClientConfig(stack.endpoints.dynamodb)).send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'E2E#probe' }, sk: { S: 'PROBE' } }, ConsistentRead: true }),
    );
    expect(item.Item?.note?.S).toBe('survives kill -9');
    const withOldToken = await call('GET', `${stack.baseUrl}/v1/tasks`, undefined, { token: alice });
    expect(withOldToken.status).not.toBe(401);
    expect(children(stack).map((child) => child.pid)).not.toContain(java.pid);
  });

  it('should run beside another stack, but refuse a data dir another live stack holds', async () => {
    // Prepare
    const first = await launch();

    // Act
    const second = await launch();
    const intruder = launch({ dataDir: first.dataDir, readyTimeoutMs: 30_000 });

    // Assess
    expect(second.baseUrl).not.toBe(first.baseUrl);
    expect((await call('GET', `${second.baseUrl}/health`)).status).toBe(200);
    await expect(intruder).rejects.toThrow(/another Tock stack \(pid \d+\) is using/);
    expect((await call('GET', `${first.baseUrl}/health`)).status).toBe(200);
  });
});
