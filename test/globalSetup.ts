import type { TestProject } from 'vitest/node';
import { silenceSdkNodeVersionWarning } from '../local/localAws';
import { startDynamoDbLocal } from '../local/services/dynamoDbLocal';
import { startFauxqs } from '../local/services/fauxqs';
import './support/localServices';

/**
 * One DynamoDB Local (in memory) and one fauxqs for the whole run; test files create their own
 * table, queues and bucket in them under a unique prefix (test/support/localServices.ts).
 * Both children exit on their own if this process dies.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  silenceSdkNodeVersionWarning();
  const [dynamodb, fauxqs] = await Promise.allSettled([startDynamoDbLocal(), startFauxqs()]);
  const started = [dynamodb, fauxqs].flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const teardown = async (): Promise<void> => {
    await Promise.all(started.map((service) => service.stop()));
  };
  if (dynamodb.status === 'rejected' || fauxqs.status === 'rejected') {
    await teardown();
    throw dynamodb.status === 'rejected' ? dynamodb.reason : (fauxqs as PromiseRejectedResult).reason;
  }
  project.provide('tockServices', { dynamodb: dynamodb.value.endpoint, sqs: fauxqs.value.endpoint, s3: fauxqs.value.endpoint });
  return teardown;
}
