import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourceNamed, synthTockStack } from './tockStackFixture';

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

let template: Template;
let resources: Resources;

beforeAll(() => {
  // Every optional resource on, so that its policies are checked too.
  ({ template } = synthTockStack({ settings: { alarmEmail: 'ops@example.com' } }));
  resources = template.toJSON().Resources as Resources;
}, 120_000);

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const statementsOf = (document: unknown): Statement[] => list((document as { Statement: Statement | Statement[] }).Statement);
const isWildcard = (action: string): boolean => action === '*' || action.endsWith(':*');
const DATA_PLANE = /^(dynamodb|sqs|s3|kms):/;

/** Identity-based statements (what a role may do), by role logical id. */
function identityStatements(): Map<string, Statement[]> {
  const byRole = new Map<string, Statement[]>();
  const add = (role: string, statements: Statement[]): void => { byRole.set(role, [...(byRole.get(role) ?? []), ...statements]); };
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Role') {
      byRole.set(id, byRole.get(id) ?? []);
      for (const policy of list(resource.Properties.Policies as { PolicyDocument: unknown }[])) add(id, statementsOf(policy.PolicyDocument));
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      for (const role of list(resource.Properties.Roles as { Ref: string }[])) add(role.Ref, statementsOf(resource.Properties.PolicyDocument));
    }
  }
  return byRole;
}

/** Resource-based policies: queues, buckets, topics and keys. */
function resourceStatements(): { type: string; statement: Statement }[] {
  const documents: Record<string, string> = {
    'AWS::SQS::QueuePolicy': 'PolicyDocument', 'AWS::S3::BucketPolicy': 'PolicyDocument',
    'AWS::SNS::TopicPolicy': 'PolicyDocument', 'AWS::KMS::Key': 'KeyPolicy',
  };
  return Object.values(resources).filter((r) => documents[r.Type])
    .flatMap((r) => statementsOf(r.Properties[documents[r.Type]!]).map((statement) => ({ type: r.Type, statement })));
}

/** The account-root statement of CDK's default key policy, which lets IAM policies govern the key. */
function isKeyPolicyIamDelegation(type: string, statement: Statement): boolean {
  const root = JSON.stringify(statement.Principal);
  return type === 'AWS::KMS::Key' && list(statement.Action).join() === 'kms:*' && root.includes(':root');
}

function roleOfFunction(prefix: string): string {
  const { props } = resourceNamed(template, 'AWS::Lambda::Function', prefix);
  return (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** `action -> resources` of a role, with resources rendered as JSON for comparison. */
function grantsOf(role: string): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const statement of identityStatements().get(role) ?? []) {
    for (const action of list(statement.Action)) {
      grants[action] = [...(grants[action] ?? []), ...list(statement.Resource).map((r) => JSON.stringify(r))].sort();
    }
  }
  return grants;
}

const ref = (prefix: string, type: string, attribute = 'Arn'): string =>
  JSON.stringify({ 'Fn::GetAtt': [resourceNamed(template, type, prefix).id, attribute] });

describe('no wildcard grants', () => {
  it('should grant no wildcard action in any identity policy', () => {
    for (const [role, statements] of identityStatements()) {
      for (const statement of statements) {
        for (const action of list(statement.Action)) expect(action.includes('*'), `${role}: ${action}`).toBe(false);
      }
    }
  });

  it('should grant no data-plane action on Resource *', () => {
    for (const [role, statements] of identityStatements()) {
      for (const statement of statements.filter((s) => list(s.Resource).includes('*'))) {
        // Only X-Ray, which has no resource-level permissions, is granted on *.
        expect(list(statement.Action).filter((a) => DATA_PLANE.test(a) || !a.startsWith('xray:')), role).toEqual([]);
      }
    }
  });

  it('should allow no wildcard action in resource policies but the key policies\' IAM delegation', () => {
    for (const { type, statement } of resourceStatements()) {
      if (statement.Effect !== 'Allow' || isKeyPolicyIamDelegation(type, statement)) continue;
      expect(list(statement.Action).filter(isWildcard), `${type}: ${JSON.stringify(statement)}`).toEqual([]);
    }
  });

  it('should allow nothing to an anonymous principal', () => {
    for (const { type, statement } of resourceStatements()) {
      if (statement.Effect === 'Allow') expect(JSON.stringify(statement.Principal), type).not.toMatch(/^"\*"$|"AWS":"\*"/);
    }
  });

  it('should attach no managed policy to any role', () => {
    for (const resource of Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Role')) {
      expect(resource.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('least privilege per function', () => {
  const table = (): string => ref('DataTable', 'AWS::DynamoDB::Table');
  const tableActions = ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem',
    'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'];
  const consume = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
  const baseline = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

  it('should let the api use the table and its list index, put/get/delete payloads, send work and seal secrets', () => {
    const grants = grantsOf(roleOfFunction('ApiFunction'));
    expect(Object.keys(grants).sort()).toEqual([...baseline, ...tableActions, 'kms:Decrypt', 'kms:Encrypt', 's3:DeleteObject',
      's3:GetObject', 's3:PutObject', 'sqs:SendMessage'].sort());
    expect(grants['dynamodb:PutItem']).toEqual([table()]);
    expect(grants['dynamodb:Query']!.join()).toContain('/index/gsi1');
    expect(grants['dynamodb:Query']!.join()).not.toContain('index/*');
    expect(grants['sqs:SendMessage']).toEqual([ref('QueuesWorkQueue', 'AWS::SQS::Queue')]);
    expect(grants['kms:Encrypt']).toEqual([ref('TargetSecretsKey', 'AWS::KMS::Key')]);
    expect(grants['kms:Decrypt']).toEqual([ref('TargetSecretsKey', 'AWS::KMS::Key')]);
  });

  it('should let the scanner use the table, send work and read the queue\'s attributes, nothing else', () => {
    const grants = grantsOf(roleOfFunction('ScannerFunction'));
    expect(Object.keys(grants).sort()).toEqual([...baseline, ...tableActions, 'sqs:GetQueueAttributes', 'sqs:SendMessage'].sort());
    expect(grants['sqs:SendMessage']).toEqual([ref('QueuesWorkQueue', 'AWS::SQS::Queue')]);
    expect(grants['sqs:GetQueueAttributes']).toEqual([ref('QueuesWorkQueue', 'AWS::SQS::Queue')]);
  });

  it('should let the executor consume work, read payloads and open secrets, but never send to a queue', () => {
    const grants = grantsOf(roleOfFunction('ExecutorFunction'));
    expect(Object.keys(grants).sort()).toEqual([...baseline, ...tableActions, ...consume, 'kms:Decrypt', 'kms:Encrypt', 's3:GetObject'].sort());
    for (const action of consume) expect(grants[action]).toEqual([ref('QueuesWorkQueue', 'AWS::SQS::Queue')]);
    expect(grants['kms:Decrypt']).toEqual([ref('TargetSecretsKey', 'AWS::KMS::Key')]);
  });

  it('should let the DLQ handler consume the DLQ and use the table only', () => {
    const grants = grantsOf(roleOfFunction('DeadLettersFunction'));
    expect(Object.keys(grants).sort()).toEqual([...baseline, ...tableActions, ...consume].sort());
    for (const action of consume) expect(grants[action]).toEqual([ref('QueuesDeadLetterQueue', 'AWS::SQS::Queue')]);
  });

  it('should confine payload access to the payload bucket\'s objects', () => {
    const objects = JSON.stringify({ 'Fn::Join': ['', [JSON.parse(ref('PayloadsE', 'AWS::S3::Bucket')), '/*']] });
    expect(grantsOf(roleOfFunction('ApiFunction'))['s3:PutObject']).toEqual([objects]);
    expect(grantsOf(roleOfFunction('ExecutorFunction'))['s3:GetObject']).toEqual([objects]);
  });

  it('should write each function\'s logs to its own log group only', () => {
    for (const name of ['Api', 'Scanner', 'Executor', 'DeadLetters']) {
      expect(grantsOf(roleOfFunction(`${name}Function`))['logs:PutLogEvents']).toEqual([ref(`${name}Logs`, 'AWS::Logs::LogGroup')]);
    }
  });
});

describe('scheduler role', () => {
  it('should only invoke the scanner, for this account\'s schedule group', () => {
    const { id, props } = resourceNamed(template, 'AWS::IAM::Role', 'ScannerTriggersInvokeRole');
    expect(grantsOf(id)).toEqual({ 'lambda:InvokeFunction': [ref('ScannerFunction', 'AWS::Lambda::Function')] });
    const [trust] = statementsOf(props.AssumeRolePolicyDocument);
    expect(trust).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012', 'aws:SourceArn': JSON.parse(ref('ScannerTriggersGroup', 'AWS::Scheduler::ScheduleGroup')) } },
    });
  });
});
