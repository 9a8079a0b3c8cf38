import { z } from 'zod';
import type { SQSRecord } from 'aws-lambda';
import type { WorkMessage } from '../app/ports';

const workMessageSchema = z.object({
  u: z.string().min(1),
  t: z.string().min(1),
  e: z.string().min(1),
  s: z.iso.datetime(),
  a: z.number().int().min(1),
  d: z.number().int(),
  k: z.enum(['occurrence', 'retry', 'trigger', 'catchup', 'buffered', 'watch']),
});

/** A work message from a queue record, or undefined for a body that is not one (poison). */
export function workMessageOf(record: SQSRecord): WorkMessage | undefined {
  try {
    const parsed = workMessageSchema.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
