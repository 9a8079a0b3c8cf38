import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Structured JSON logs (Powertools), one logger per function. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tock' });

/** EMF metrics in the `Tock` namespace, flushed by the handler that records them. */
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Tock' });

export { MetricUnit };

/**
 * X-Ray traces of every AWS SDK call (Powertools). Off unless the function runs with active
 * tracing on AWS: POWERTOOLS_TRACE_ENABLED=false or no Lambda environment disables it locally.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tock' });
