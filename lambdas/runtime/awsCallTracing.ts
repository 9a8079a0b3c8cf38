import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray subsegments for every AWS SDK call and outgoing HTTP request (Powertools Tracer). Loaded
 * only when tracing is on (observability.ts): the X-Ray SDK it brings switches on async hooks for
 * the whole process, which made every await about four times slower, and it is half the bundle.
 * On AWS it is bundled on its own, as `tracing.mjs` beside the function's `index.mjs`.
 */
const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tock' });

export function traceAwsClient<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
