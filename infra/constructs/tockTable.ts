import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The keys-only index that lists a user's tasks (docs/data-model.md). */
export const LIST_INDEX = 'gsi1';

export interface TockTableProps {
  /**
   * Deletion protection; with it the table is also retained when the stack is deleted.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * The single table of docs/data-model.md: `pk`/`sk`, the keys-only `gsi1`, TTL on `ttl`
 * (execution history, due entries and idempotency keys expire for free), on-demand capacity,
 * point-in-time recovery and encryption at rest with the AWS managed key.
 */
export class TockTable extends Construct {
  public readonly table: Table;
  /** The name of the keys-only list index. */
  public readonly listIndexName = LIST_INDEX;

  constructor(scope: Construct, id: string, props: TockTableProps = {}) {
    super(scope, id);
    const deletionProtection = props.deletionProtection ?? true;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key costs nothing per request; a customer managed key would add a KMS
      // charge to every cache miss of the table's data key for no isolation we need.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection,
      removalPolicy: deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: LIST_INDEX,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }

  /** ARN of the list index, for a grant that names it instead of `index/*`. */
  get listIndexArn(): string {
    return `${this.table.tableArn}/index/${LIST_INDEX}`;
  }
}
