/**
 * AWS list prices, us-east-1, beyond the free tiers. Read from the stored copies of the vendors'
 * pricing pages and price-list summaries named below; check them again before quoting a bill.
 */
export const PRICES_AS_OF = '2026-06-13';

export const PRICES = {
  /** DynamoDB on-demand, per write / read request unit; halved on 2024-11-01 (was $1.25 / $0.25 per million). */
  dynamoWriteRequestUnit: 0.625 / 1e6,
  dynamoReadRequestUnit: 0.125 / 1e6,
  /** SQS FIFO, per request (each 64 KB chunk of payload is one request), first 100 billion a month. */
  sqsFifoRequest: 0.5 / 1e6,
  /** Lambda, per invocation and per GB-second on arm64 (Graviton). */
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  /** EventBridge Scheduler, per invocation (after 14 million free a month). */
  schedulerInvocation: 1.0 / 1e6,
  /** EventBridge custom event published to a bus, and an API destination delivery. */
  eventBusEvent: 1.0 / 1e6,
  apiDestinationDelivery: 0.2 / 1e6,
  /** Step Functions Standard, per state transition. */
  stepFunctionsStandardTransition: 0.025 / 1000,
} as const;

export const PRICE_SOURCES = [
  'DynamoDB on-demand: aws.amazon.com/dynamodb/pricing/on-demand (units); $0.625/M WRU, $0.125/M RRU after the 2024-11-01 cut (airbyte.com 2025-07, jusdb.com 2025-08)',
  'SQS: $0.50/M FIFO requests, 64 KB chunks (cloudburn.io 2026-03, factualminds.com 2026-06)',
  'Lambda arm64: $0.20/M requests, $0.0000133334/GB-s (aws.amazon.com/lambda/pricing via artillery prices table)',
  'EventBridge: Scheduler $1.00/M invocations, custom events $1.00/M, API destinations $0.20/M (cloudburn.io 2026-03)',
  'Step Functions Standard: $0.025 per 1,000 state transitions (aws.amazon.com/step-functions/pricing)',
] as const;
