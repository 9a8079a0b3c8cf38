import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TaskHead } from '../../domain/task';
import { IdempotencyConflictError, QuotaExceededError, VersionConflictError } from '../../domain/errors';
import type { ClaimResult, DueEntry, NewTask, Page, TaskStore } from '../../app/ports';
import { decodeToken, duePk, dueSk, encodeToken, HEAD_SK, idempotencyKey, InvalidPageTokenError, minuteOf, PAYLOAD_SK, taskPk, userGsiPk, userKey } from './keys';
import { dueEntryItem } from './dynamoDueIndex';
import { executionItem } from './dynamoExecutionStore';
import { batchGetAll } from './batchGet';

const HEAD_KEYS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

/** BatchGetItem calls (100 heads each) one `getHeads` keeps in flight. */
const HEAD_BATCHES_IN_FLIGHT = 4;

function headItem(head: TaskHead): Record<string, unknown> {
  return { pk: taskPk(head.userId, head.taskId), sk: HEAD_SK, gsi1pk: userGsiPk(head.userId), gsi1sk: head.taskId, ...head };
}

function toHead(item: Record<string, unknown> | undefined): TaskHead | undefined {
  if (!item) return undefined;
  const rest: Record<string, unknown> = { ...item };
  for (const key of HEAD_KEYS) delete rest[key];
  return rest as unknown as TaskHead;
}

function payloadItem(userId: string, taskId: string, json: string, s3Key: string | null): Record<string, unknown> {
  return s3Key === null
    ? { pk: taskPk(userId, taskId), sk: PAYLOAD_SK, json }
    : { pk: taskPk(userId, taskId), sk: PAYLOAD_SK, s3Key };
}

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** The per-user task counter (`U#<userId>` / `QUOTA`), written in the same transaction as create and delete. */
const QUOTA_SK = 'QUOTA';
/** Transactions on one user's counter can collide; each is tried this often before giving up. */
const TRANSACTION_ATTEMPTS = 8;

function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []).map((r) => r.Code) : undefined;
}

/** Tasks in the single table: the head (small, claimed often) and the payload (large, read at delivery). */
export class DynamoTaskStore implements TaskStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Tasks one user may have at once (TOCK_MAX_TASKS_PER_USER); unlimited when undefined. */
    private readonly maxTasksPerUser?: number,
    /** TOCK_HISTORY_RETENTION_DAYS, for the SKIPPED record an advance may write. */
    private readonly historyRetentionDays = 30,
  ) {}

  /**
   * Runs a transaction again while it only collided with another one on the same items (two
   * creates of one user both update the counter); any other cancellation is the caller's.
   */
  private async transact(items: TransactItems): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        const codes = cancellationCodes(error);
        const collided = codes?.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
        if (!collided || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
      }
    }
  }

  /**
   * The counter moves with the head in one transaction, so it is exact under any concurrency:
   *
   *   create A ─ count < max? ─ +1 ─┐  both in one transaction each; DynamoDB serializes them,
   *   create B ─ count < max? ─ +1 ─┘  so the second sees the first's +1 or collides and retries
   */
  private counterUpdate(userId: string, delta: 1 | -1): TransactItems[number] {
    const limited = delta === 1 && this.maxTasksPerUser !== undefined;
    return {
      Update: {
        TableName: this.tableName,
        Key: userKey(userId, QUOTA_SK),
        UpdateExpression: 'ADD #count :delta',
        ...(limited ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :max' } : {}),
        ExpressionAttributeNames: { '#count': 'taskCount' },
        ExpressionAttributeValues: { ':delta': delta, ...(limited ? { ':max': this.maxTasksPerUser } : {}) },
      },
    };
  }

  async create(task: NewTask, ttlSeconds: number): Promise<{ created: true } | { created: false; taskId: string }> {
    const { head } = task;
    const items: TransactItems = [
      { Put: { TableName: this.tableName, Item: headItem(head), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: this.tableName, Item: payloadItem(head.userId, head.taskId, task.payloadJson, task.payloadS3Key) } },
    ];
    if (task.firstEntry) items.push({ Put: { TableName: this.tableName, Item: dueEntryItem(task.firstEntry) } });
    const counterIndex = items.push(this.counterUpdate(head.userId, 1)) - 1;
    if (task.idempotency) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...idempotencyKey(head.userId, task.idempotency.key),
            taskId: head.taskId,
            bodyHash: task.idempotency.bodyHash,
            ttl: ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.transact(items);
      return { created: true };
    } catch (error) {
      const codes = cancellationCodes(error) ?? [];
      // A replay answers with its task even when the user is at the quota now.
      if (task.idempotency && codes[items.length - 1] === 'ConditionalCheckFailed') {
        return this.existingForKey(head.userId, task.idempotency.key, task.idempotency.bodyHash);
      }
      if (codes[counterIndex] === 'ConditionalCheckFailed') {
        const limit = this.maxTasksPerUser!;
        throw new QuotaExceededError('tasks', limit, `you have ${limit} tasks, the most allowed; delete tasks you no longer need`, { cause: error });
      }
      throw error;
    }
  }

  private async existingForKey(userId: string, key: string, bodyHash: string): Promise<{ created: false; taskId: string }> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: idempotencyKey(userId, key), ConsistentRead: true }),
    );
    if (!Item || Item.bodyHash !== bodyHash) throw new IdempotencyConflictError(key);
    return { created: false, taskId: String(Item.taskId) };
  }

  async getHead(userId: string, taskId: string, consistent: boolean): Promise<TaskHead | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: taskPk(userId, taskId), sk: HEAD_SK }, ConsistentRead: consistent }),
    );
    return toHead(Item);
  }

  async getHeads(keys: ReadonlyArray<{ userId: string; taskId: string }>): Promise<TaskHead[]> {
    const unique = [...new Set(keys.map((k) => taskPk(k.userId, k.taskId)))];
    // A burst's hand-over reads thousands of heads within the scanner's 1 s look-ahead: several
    // batches in flight, not one after another.
    const items = await batchGetAll(this.client, this.tableName, unique.map((pk) => ({ pk, sk: HEAD_SK })), { consistent: true, inFlight: HEAD_BATCHES_IN_FLIGHT });
    return items.map((item) => toHead(item)!);
  }

  async getPayload(userId: string, taskId: string, consistent = false): Promise<{ json: string | null; s3Key: string | null } | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: taskPk(userId, taskId), sk: PAYLOAD_SK }, ConsistentRead: consistent }),
    );
    if (!Item) return undefined;
    return { json: typeof Item.json === 'string' ? Item.json : null, s3Key: typeof Item.s3Key === 'string' ? Item.s3Key : null };
  }

  async listHeads(userId: string, limit: number, cursor: string | undefined): Promise<Page<TaskHead>> {
    const start = decodeToken(cursor, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
    if (start && (start.gsi1pk !== userGsiPk(userId) || start.pk !== taskPk(userId, start.gsi1sk) || start.sk !== HEAD_SK)) throw new InvalidPageTokenError();
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :u',
        ExpressionAttributeValues: { ':u': userGsiPk(userId) },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    const keys = (out.Items ?? []).map((item) => ({ userId, taskId: String(item.gsi1sk) }));
    const heads = await this.getHeads(keys);
    const order = new Map(keys.map((k, i) => [k.taskId, i]));
    heads.sort((a, b) => order.get(a.taskId)! - order.get(b.taskId)!);
    return { items: heads, cursor: encodeToken(out.LastEvaluatedKey) };
  }

  async replace(
    head: TaskHead,
    expectedVersion: number,
    extras: { payloadJson?: string; payloadS3Key?: string | null; entry?: DueEntry | null; removeLeases?: readonly string[] },
  ): Promise<void> {
    const item = headItem(head);
    // Leases are written only by claims; a replace keeps the ones a claim wrote meanwhile,
    // except those the caller prunes. So the head is updated field by field, not put.
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': expectedVersion };
    const sets: string[] = [];
    let n = 0;
    for (const [key, value] of Object.entries(item)) {
      if (key === 'running' || key === 'pk' || key === 'sk') continue;
      names[`#f${n}`] = key;
      values[`:v${n}`] = value;
      sets.push(`#f${n} = :v${n}`);
      n++;
    }
    const removes = (extras.removeLeases ?? []).map((id, i) => {
      names[`#l${i}`] = id;
      return `running.#l${i}`;
    });
    names['#version'] = 'version';
    const update = {
      TableName: this.tableName,
      Key: { pk: item.pk, sk: HEAD_SK },
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    const transact: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [{ Update: update }];
    if (extras.payloadJson !== undefined) {
      transact.push({ Put: { TableName: this.tableName, Item: payloadItem(head.userId, head.taskId, extras.payloadJson, extras.payloadS3Key ?? null) } });
    }
    if (extras.entry) transact.push({ Put: { TableName: this.tableName, Item: dueEntryItem(extras.entry) } });
    try {
      if (transact.length === 1) await this.client.send(new UpdateCommand(update));
      else await this.client.send(new TransactWriteCommand({ TransactItems: transact }));
    } catch (error) {
      const conflict =
        error instanceof ConditionalCheckFailedException ||
        (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed');
      if (conflict) throw new VersionConflictError(expectedVersion, undefined);
      throw error;
    }
  }

  async delete(userId: string, taskId: string): Promise<TaskHead | undefined> {
    const pk = taskPk(userId, taskId);
    // A transaction returns no old values: the head is read first, for the caller.
    const head = await this.getHead(userId, taskId, true);
    if (!head) return undefined;
    try {
      await this.transact([
        { Delete: { TableName: this.tableName, Key: { pk, sk: HEAD_SK }, ConditionExpression: 'attribute_exists(pk)' } },
        this.counterUpdate(userId, -1),
      ]);
    } catch (error) {
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return undefined;
      throw error;
    }
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { pk, sk: PAYLOAD_SK } }));
    return head;
  }

  async advance(
    head: TaskHead,
    scheduledFor: string,
    next: Parameters<TaskStore['advance']>[2],
  ): Promise<boolean> {
    const names: Record<string, string> = {
      '#next': 'nextRunAt',
      '#gen': 'gen',
      '#st': 'status',
      '#reason': 'statusReason',
      '#runs': 'runCount',
      '#last': 'lastHandedOver',
      '#buf': 'buffered',
    };
    const removes = next.removeLeases.map((id, i) => {
      names[`#l${i}`] = id;
      return `running.#l${i}`;
    });
    const update = {
      TableName: this.tableName,
      Key: { pk: taskPk(head.userId, head.taskId), sk: HEAD_SK },
      UpdateExpression: `SET #next = :next, #runs = :runs, #st = :st, #reason = :reason, #last = :last, #buf = :buf${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      // Two scanners on one shard: only the first moves the task past this occurrence.
      ConditionExpression: '#next = :current AND #gen = :gen AND #st = :active',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':next': next.nextRunAt,
        ':runs': next.runCount,
        ':st': next.status,
        ':reason': next.statusReason,
        ':current': scheduledFor,
        ':gen': head.gen,
        ':active': 'ACTIVE',
        ':last': next.lastHandedOver,
        ':buf': next.buffered,
      },
    };
    const items: TransactItems = [{ Update: update }];
    if (next.redirect) {
      // Catch-up moves the task and re-points its entry in one transaction: an entry re-pointed
      // by a scan that died before its advance would no longer match the task's nextRunAt, and
      // the task would never be handed over again.
      const { entry, executionId, scheduledFor: runAt } = next.redirect;
      items.push({
        Update: {
          TableName: this.tableName,
          Key: { pk: duePk(entry.shard, minuteOf(entry.dueAt)), sk: dueSk(entry.dueAt, entry.taskId, entry.executionId, entry.attempt) },
          UpdateExpression: 'SET executionId = :e, scheduledFor = :s',
          ExpressionAttributeValues: { ':e': executionId, ':s': runAt },
        },
      });
    }
    // The skip is written with the move, never without it. No run of this occurrence can have a
    // record yet: a run is handed over only after the advance that this one's condition excludes.
    if (next.skip) items.push({ Put: { TableName: this.tableName, Item: executionItem(next.skip, this.historyRetentionDays) } });
    try {
      if (items.length === 1) await this.client.send(new UpdateCommand(update));
      // Executors claim on the same head with plain writes: a collision is tried again.
      else await this.transact(items);
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async releaseBuffered(head: TaskHead, executionId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: taskPk(head.userId, head.taskId), sk: HEAD_SK },
          UpdateExpression: 'SET lastHandedOver = :e, buffered = :none',
          ConditionExpression: 'buffered = :e AND #st = :active',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':e': executionId, ':none': null, ':active': 'ACTIVE' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The claim (invariants 3 and 5). The lock lives on the task head, so it serializes with DELETE
   * and pause:
   *
   *   executor: claim ──────────► attempt starts
   *   user:            DELETE ──► 204        (claim first: the attempt began before the 204)
   *   user:   DELETE ─► 204                  (DELETE first: the claim's attribute_exists fails)
   *
   * A lease still held by an attempt that is not yet recorded blocks the claim until it expires;
   * an expired one is taken over, and the caller records the lost attempt.
   */
  async claim(args: Parameters<TaskStore['claim']>[0]): Promise<ClaimResult> {
    const statuses = args.allowedStatuses.map((_, i) => `:s${i}`);
    const values: Record<string, unknown> = { ':lease': args.lease, ':now': args.now, ':recorded': args.recordedAttempt };
    args.allowedStatuses.forEach((s, i) => (values[`:s${i}`] = s));
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: taskPk(args.userId, args.taskId), sk: HEAD_SK },
          UpdateExpression: 'SET running.#e = :lease',
          ConditionExpression:
            `attribute_exists(pk) AND #st IN (${statuses.join(', ')}) AND ` +
            '(attribute_not_exists(running.#e) OR running.#e.leaseUntil < :now OR running.#e.attempt <= :recorded)',
          ExpressionAttributeNames: { '#e': args.executionId, '#st': 'status' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const head = toHead(out.Attributes)!;
      return { claimed: true, head, previousLease: head.running[args.executionId] };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const head = toHead(error.Item ? unmarshallItem(error.Item) : undefined);
      if (!head) return { claimed: false, reason: 'deleted', head: undefined };
      if (!args.allowedStatuses.includes(head.status)) return { claimed: false, reason: 'not-runnable', head };
      return { claimed: false, reason: 'held', head };
    }
  }

  async renumberLease(args: Parameters<TaskStore['renumberLease']>[0]): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: taskPk(args.userId, args.taskId), sk: HEAD_SK },
          UpdateExpression: 'SET running.#e.attempt = :attempt',
          // Still our lease: the same start and expiry the claim wrote.
          ConditionExpression: 'running.#e.startedAt = :startedAt AND running.#e.leaseUntil = :leaseUntil',
          ExpressionAttributeNames: { '#e': args.executionId },
          ExpressionAttributeValues: { ':attempt': args.attempt, ':startedAt': args.lease.startedAt, ':leaseUntil': args.lease.leaseUntil },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function unmarshallItem(item: NonNullable<ConditionalCheckFailedException['Item']>): Record<string, unknown> {
  return unmarshall(item);
}
