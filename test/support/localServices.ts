import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createResources } from '../../local/createResources';
import type { LocalResources } from '../../local/createResources';
import { applyHandlerEnvironment, handlerEnvironment } from '../../local/handlerEnvironment';
import type { LocalEndpoints } from '../../local/localAws';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local (in memory) and fauxqs started once for the whole run by test/globalSetup.ts. */
    tockServices: LocalEndpoints;
  }
}

/** The shared DynamoDB Local and fauxqs endpoints of this test run. */
export function localServices(): LocalEndpoints {
  return inject('tockServices');
}

/** `<name>-<8 random hex>`: a resource prefix no other test file uses. */
export function uniquePrefix(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30)}-${randomBytes(4).toString('hex')}`;
}

export interface TestResourceOptions {
  /** Work queue visibility timeout; keep it short in tests that wait for redelivery. @default 540 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default 5 */
  readonly maxReceiveCount?: number;
}

export interface TestResources extends LocalResources {
  readonly endpoints: LocalEndpoints;
  /**
   * The environment the handlers read (TOCK_TABLE_NAME, TOCK_QUEUE_URL, ..., AWS_ENDPOINT_URL_*,
   * AWS_REGION, local credentials, a fresh TOCK_SECRETS_KEY). Apply it with useTestEnvironment()
   * before importing a handler module: they read their configuration at import time.
   */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Creates a table, FIFO work queue + DLQ and bucket named after `prefix` in the shared services
 * (use uniquePrefix() so test files never share them), exactly as the local stack does.
 */
export async function createTestResources(prefix: string, options: TestResourceOptions = {}): Promise<TestResources> {
  if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(prefix)) throw new Error(`prefix "${prefix}" must be 2-41 characters of a-z, 0-9 and "-" (it names an S3 bucket)`);
  const endpoints = localServices();
  const resources = await createResources({ prefix, endpoints, ...options });
  const env = handlerEnvironment({ endpoints, resources, secretsKey: randomBytes(32).toString('base64') }).set;
  return { ...resources, endpoints, env };
}

/** Applies `resources.env` to process.env (each test file runs in its own process). */
export function useTestEnvironment(resources: Pick<TestResources, 'env'>): void {
  applyHandlerEnvironment({ set: resources.env, unset: ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_ENDPOINT_URL', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] });
}
