import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoRateBucketStore } from '../../../lambdas/adapters/dynamo/dynamoRateBucketStore';
import { RequestRateLimiter } from '../../../lambdas/app/requestRateLimiter';
import { RateLimitedError } from '../../../lambdas/domain/errors';
import { localClientConfig } from '../../../local/localAws';
import { loadHandlerApi } from '../../support/handlerApi';
import type { HandlerApi } from '../../support/handlerApi';

let api: HandlerApi;

beforeAll(async () => {
  api = await loadHandlerApi('rate-limit', { TOCK_USER_RPS: '1', TOCK_USER_BURST: '3' });
});

describe('per-user request rate limit (real handler, DynamoDB Local)', () => {
  it('should answer 429 problem JSON with Retry-After once the burst is spent, and store nothing', async () => {
    // Prepare
    const user = `burst-${Date.now()}`;
    const body = { schedule: 'rate(5 minutes)', target: { type: 'http', url: 'https://example.com/hook' } };

    // Act: 4 creates at once: 3 go through (the burst), one is refused before it is parsed or stored
    const answers = await Promise.all(Array.from({ length: 4 }, () => api.call({ method: 'POST', url: '/v1/tasks', userId: user, body })));

    // Assess
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringContaining('retry after') });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const list = await api.call({ method: 'GET', url: '/v1/tasks?limit=100', userId: user });
    expect(list.status).toBe(200);
    expect(list.json.items).toHaveLength(3);
  });

  it("should not count one user's requests against another", async () => {
    const greedy = `greedy-${Date.now()}`;
    const burst = await Promise.all(Array.from({ length: 6 }, () => api.call({ method: 'GET', url: '/v1/tasks', userId: greedy })));
    expect(burst.filter((a) => a.status === 429)).toHaveLength(3);
    expect((await api.call({ method: 'GET', url: '/v1/tasks', userId: `quiet-${Date.now()}` })).status).toBe(200);
  });

  it('should refill at the configured rate', async () => {
    const user = `refill-${Date.now()}`;
    const burst = await Promise.all(Array.from({ length: 4 }, () => api.call({ method: 'GET', url: '/v1/tasks', userId: user })));
    expect(burst.map((a) => a.status).sort()).toEqual([200, 200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // 1 per second
    expect((await api.call({ method: 'GET', url: '/v1/tasks', userId: user })).status).toBe(200);
  });

  it('should leave a request without a caller to the 401, unlimited', async () => {
    for (let i = 0; i < 5; i++) expect((await api.call({ method: 'GET', url: '/v1/tasks' })).status).toBe(401);
  });

  it('should hold across instances: six containers sharing the bucket never exceed burst + rate x time', async () => {
    // Prepare: six limiters (six Lambda containers) on one table, each leasing 5 tokens at a time
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(api.resources.endpoints.dynamodb)));
    const store = new DynamoRateBucketStore(client, api.resources.tableName);
    const limits = { ratePerSecond: 20, burst: 30 };
    const clock = { now: () => new Date() };
    const containers = Array.from({ length: 6 }, () => new RequestRateLimiter({ store, clock, limits, leaseTokens: 5 }));
    const user = `shared-${Date.now()}`;

    // Act: every container takes as fast as it can for 1.5 s
    const started = Date.now();
    let allowed = 0;
    let refused = 0;
    await Promise.all(
      containers.map(async (limiter) => {
        while (Date.now() - started < 1500) {
          try {
            await limiter.take(user);
            allowed++;
          } catch (error) {
            if (!(error instanceof RateLimitedError)) throw error;
            refused++;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
      }),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;

    // Assess: the shared bucket is the bound; the leases only strand tokens, never add any
    expect(refused).toBeGreaterThan(0);
    expect(allowed).toBeLessThanOrEqual(limits.burst + Math.ceil(limits.ratePerSecond * elapsedSeconds));
    expect(allowed).toBeGreaterThanOrEqual(limits.burst);
    client.destroy();
  });
});
