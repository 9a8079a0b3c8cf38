import type { AwsClient } from '../../lambdas/runtime/composition';

/** What one kind of AWS call (service and operation) cost over a metering window. */
export interface CallTally {
  calls: number;
  /** Failed calls (a failed conditional write still consumes capacity, see below). */
  errors: number;
  /** DynamoDB read and write request units, as AWS bills them (see `billedUnits`). */
  readUnits: number;
  writeUnits: number;
  /** SQS: requests as billed, one per 64 KB chunk of payload. */
  billedRequests: number;
  /** SQS ReceiveMessage calls that returned nothing (a fixed cost of polling, not of work). */
  emptyReceives: number;
  /** SQS messages sent or received. */
  messages: number;
}

type Tallies = Record<string, CallTally>;

const DYNAMO_CAPACITY_COMMANDS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactWriteItems', 'TransactGetItems',
]);
const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const SQS_CHUNK_BYTES = 64 * 1024;

interface ConsumedCapacity {
  CapacityUnits?: number;
}

function sumCapacity(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  if (!consumed) return 0;
  return (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
}

/**
 * DynamoDB Local reports consumed capacity, with three differences from AWS's bill that would flatter
 * us, corrected here: a Query that finds nothing is billed 0.5 RRU (1 if consistent) on AWS, not 0;
 * transactions are billed twice the units of the same plain writes and reads; a conditional write
 * whose condition fails is billed (at least 1 WRU) though Local reports nothing.
 */
export function billedUnits(operation: string, input: Record<string, unknown>, reported: number, failed: boolean): number {
  if (failed) return DYNAMO_WRITES.has(operation) ? Math.max(1, reported) : reported;
  if ((operation === 'Query' || operation === 'Scan') && reported === 0) return input.ConsistentRead ? 1 : 0.5;
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') return reported * 2;
  return reported;
}

function utf8Bytes(value: unknown): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
}

function sqsPayloadBytes(operation: string, input: Record<string, unknown>, output: Record<string, unknown>): number {
  if (operation === 'SendMessageBatch') return ((input.Entries as { MessageBody?: string }[]) ?? []).reduce((n, e) => n + utf8Bytes(e.MessageBody), 0);
  if (operation === 'SendMessage') return utf8Bytes(input.MessageBody);
  if (operation === 'ReceiveMessage') return ((output.Messages as { Body?: string }[]) ?? []).reduce((n, m) => n + utf8Bytes(m.Body), 0);
  return 0;
}

function sqsMessages(operation: string, input: Record<string, unknown>, output: Record<string, unknown>): number {
  if (operation === 'SendMessageBatch') return ((input.Entries as unknown[]) ?? []).length;
  if (operation === 'SendMessage') return 1;
  if (operation === 'ReceiveMessage') return ((output.Messages as unknown[]) ?? []).length;
  return 0;
}

/**
 * Counts every AWS call made through the clients it is attached to, by service and operation, with
 * DynamoDB's consumed capacity (it asks for ReturnConsumedCapacity=TOTAL on every call that takes it)
 * and SQS's billed requests. Snapshots let a benchmark take the difference over a window.
 */
export class SdkCallMeter {
  private tallies: Tallies = {};

  /** Adds the metering middleware to a client; pass to `awsClientObservers`. */
  readonly attach = (client: AwsClient): void => {
    const service = client.constructor.name.replace(/Client$/, '');
    // The union of client types has no common `add` signature the compiler accepts; every v3 client has this one.
    const stack = client.middlewareStack as unknown as {
      add(middleware: (next: Handler, context: { commandName?: string }) => Handler, options: { step: 'initialize'; name: string; priority: 'high' }): void;
    };
    stack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        if (service === 'DynamoDB' && DYNAMO_CAPACITY_COMMANDS.has(operation)) input.ReturnConsumedCapacity = 'TOTAL';
        try {
          const result = await next(args);
          this.record(service, operation, input, (result.output ?? {}) as Record<string, unknown>, false);
          return result;
        } catch (error) {
          this.record(service, operation, input, {}, true);
          throw error;
        }
      },
      { step: 'initialize', name: 'benchSdkCallMeter', priority: 'high' },
    );
  };

  private record(service: string, operation: string, input: Record<string, unknown>, output: Record<string, unknown>, failed: boolean): void {
    const key = `${service}.${operation}`;
    const tally = (this.tallies[key] ??= { calls: 0, errors: 0, readUnits: 0, writeUnits: 0, billedRequests: 0, emptyReceives: 0, messages: 0 });
    tally.calls++;
    if (failed) tally.errors++;
    if (service === 'DynamoDB') {
      const units = billedUnits(operation, input, sumCapacity(output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined), failed);
      if (DYNAMO_WRITES.has(operation)) tally.writeUnits += units;
      else tally.readUnits += units;
    }
    if (service === 'SQS') {
      tally.billedRequests += Math.max(1, Math.ceil(sqsPayloadBytes(operation, input, output) / SQS_CHUNK_BYTES));
      const messages = sqsMessages(operation, input, output);
      tally.messages += messages;
      if (operation === 'ReceiveMessage' && messages === 0) tally.emptyReceives++;
    }
  }

  /** A copy of the counts so far. */
  snapshot(): Tallies {
    return structuredClone(this.tallies);
  }
}

type Handler = (args: { input: unknown }) => Promise<{ output: unknown }>;

/** The counts in `after` minus those in `before`, per kind of call. */
export function difference(after: Tallies, before: Tallies): Tallies {
  const out: Tallies = {};
  for (const [key, a] of Object.entries(after)) {
    const b = before[key];
    const d: CallTally = {
      calls: a.calls - (b?.calls ?? 0),
      errors: a.errors - (b?.errors ?? 0),
      readUnits: a.readUnits - (b?.readUnits ?? 0),
      writeUnits: a.writeUnits - (b?.writeUnits ?? 0),
      billedRequests: a.billedRequests - (b?.billedRequests ?? 0),
      emptyReceives: a.emptyReceives - (b?.emptyReceives ?? 0),
      messages: a.messages - (b?.messages ?? 0),
    };
    if (d.calls > 0) out[key] = d;
  }
  return out;
}

export type { Tallies };
