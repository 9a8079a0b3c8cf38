import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type * as AwsCallTracing from './awsCallTracing';

/** Structured JSON logs (Powertools), one logger per function. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tock' });

/** EMF metrics in the `Tock` namespace, flushed by the handler that records them. */
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Tock' });

export { MetricUnit };

/**
 * Whether X-Ray tracing is on, by Powertools Tracer's own rule: inside Lambda (AWS_EXECUTION_ENV),
 * not SAM or Amplify's local emulation, and not turned off with POWERTOOLS_TRACE_ENABLED=false.
 * The local stack is never traced.
 */
export function tracingActive(env: NodeJS.ProcessEnv = process.env): boolean {
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  if (executionEnv === '' || executionEnv === 'AWS_Lambda_amplify-mock' || (env.AWS_SAM_LOCAL ?? '') !== '') return false;
  return (env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() !== 'false';
}

/**
 * The tracing module: its source next to this file, or in a bundle the `tracing.mjs` built beside it
 * (infra/lambdaBundling.ts). A computed specifier, so that esbuild leaves it out of the bundle.
 */
const tracingModule = new URL(import.meta.url.endsWith('.ts') ? './awsCallTracing.ts' : './tracing.mjs', import.meta.url).href;

/**
 * X-Ray traces of every AWS SDK call (Powertools) when tracing is on; otherwise the client as it is,
 * and the X-Ray SDK is never loaded.
 */
export const traceAwsClient: <T>(client: T) => T = tracingActive()
  ? ((await import(tracingModule)) as typeof AwsCallTracing).traceAwsClient
  : (client) => client;
