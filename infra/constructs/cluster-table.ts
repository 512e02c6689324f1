import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { BY_KIND_INDEX, BY_NODE_INDEX, BY_SEQ_INDEX, TABLE_KEYS } from '../../lib/store/dynamo/table.js';

export interface ClusterTableProps {
  /**
   * What happens to the table when it leaves the stack. Only `RETAIN` and `DESTROY` make sense for it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Whether DynamoDB refuses to delete the table.
   * @default - true, unless `removalPolicy` is `DESTROY`
   */
  readonly deletionProtection?: boolean;
}

/**
 * The single table holding every fact and decision, keyed as lib/store/dynamo/table.ts says.
 *
 * Encryption uses the AWS-managed key (aws/dynamodb) rather than a customer-managed one: key use shows
 * up in CloudTrail, there is nothing to rotate or pay for monthly, and the functions need no key grants.
 * A customer-managed key would only add value with a key policy that someone actually curates.
 */
export class ClusterTable extends Construct {
  readonly table: Table;
  /** Index names, as the store queries them. */
  readonly indexNames: readonly string[] = [BY_NODE_INDEX.name, BY_KIND_INDEX.name, BY_SEQ_INDEX.name];

  constructor(scope: Construct, id: string, props: ClusterTableProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (removalPolicy !== RemovalPolicy.RETAIN && removalPolicy !== RemovalPolicy.DESTROY) {
      throw new Error(`the table's removal policy must be RETAIN or DESTROY, got ${removalPolicy}`);
    }
    const deletionProtection = props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY;
    if (deletionProtection && removalPolicy === RemovalPolicy.DESTROY) {
      throw new Error('a table with deletion protection cannot have removal policy DESTROY: stack deletion would fail');
    }
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_KEYS.timeToLive,
      deletionProtection,
      removalPolicy,
    });
    this.table.addLocalSecondaryIndex({
      indexName: BY_SEQ_INDEX.name,
      sortKey: { name: BY_SEQ_INDEX.sortKey, type: AttributeType.NUMBER },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...BY_SEQ_INDEX.projection.nonKeyAttributes],
    });
    for (const index of [BY_NODE_INDEX, BY_KIND_INDEX]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.projection.type === 'ALL'
          ? { projectionType: ProjectionType.ALL }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.nonKeyAttributes] }),
      });
    }
  }

  /** The ARN IAM uses for one of the table's indexes. */
  indexArn(indexName: string): string {
    if (!this.indexNames.includes(indexName)) throw new Error(`the table has no index ${indexName}`);
    return `${this.table.tableArn}/index/${indexName}`;
  }
}
