import type { EventCategory, Target } from '#domain';
import { isJsonObject, objectField, stringField, type JsonObject } from '../json-value.js';
import { nfc, nfcOrNull } from '../unicode.js';

/**
 * The resource or identity a CloudTrail event affected, best effort (PCI 10.2.2 "affected
 * resource"). Identities are named by ARN where one can be built, so that "who changed
 * alice" joins with "what alice did". Types follow CloudTrail's own `resources[].type`
 * (`AWS::IAM::User`). Every field may be absent or null (trap 9).
 */
export interface TargetContext {
  servicePrefix: string;
  eventName: string;
  category: EventCategory;
  partition: string;
  account: string | null;
  region: string | null;
  /** The caller's own user or root ARN, for self-service calls that name no user. */
  selfArn: string | null;
}

interface ParameterRule {
  key: string;
  type: string;
  /** Builds the resource ARN from the value; absent: the value is the id. */
  arn?: (value: string, c: TargetContext) => string | null;
}

const iamArn = (kind: string) => (name: string, c: TargetContext) =>
  name.startsWith('arn:') ? name : c.account ? `arn:${c.partition}:iam::${c.account}:${kind}/${name}` : null;
const regionalArn = (service: string, kind: string, separator = '/') => (id: string, c: TargetContext) =>
  id.startsWith('arn:') ? id : c.account && c.region ? `arn:${c.partition}:${service}:${c.region}:${c.account}:${kind}${separator}${id}` : null;

const trailArn = regionalArn('cloudtrail', 'trail');
const instanceArn = regionalArn('ec2', 'instance');
const flowLogArn = regionalArn('ec2', 'vpc-flow-log');

const IAM_RULES: ParameterRule[] = [
  { key: 'userName', type: 'AWS::IAM::User', arn: iamArn('user') },
  { key: 'groupName', type: 'AWS::IAM::Group', arn: iamArn('group') },
  { key: 'roleName', type: 'AWS::IAM::Role', arn: iamArn('role') },
  { key: 'policyArn', type: 'AWS::IAM::ManagedPolicy' },
  { key: 'instanceProfileName', type: 'AWS::IAM::InstanceProfile', arn: iamArn('instance-profile') },
  { key: 'serialNumber', type: 'AWS::IAM::MFADevice' },
  { key: 'sAMLProviderArn', type: 'AWS::IAM::SAMLProvider' },
  { key: 'openIDConnectProviderArn', type: 'AWS::IAM::OIDCProvider' },
];

const GENERIC_RULES: ParameterRule[] = [
  { key: 'roleArn', type: 'AWS::IAM::Role' },
  { key: 'bucketName', type: 'AWS::S3::Bucket', arn: (b, c) => `arn:${c.partition}:s3:::${b}` },
  { key: 'trailName', type: 'AWS::CloudTrail::Trail', arn: trailArn },
  { key: 'instanceId', type: 'AWS::EC2::Instance', arn: instanceArn },
  { key: 'snapshotId', type: 'AWS::EC2::Snapshot', arn: (id, c) => (c.region ? `arn:${c.partition}:ec2:${c.region}::snapshot/${id}` : null) },
  { key: 'imageId', type: 'AWS::EC2::Image', arn: (id, c) => (c.region ? `arn:${c.partition}:ec2:${c.region}::image/${id}` : null) },
  { key: 'groupId', type: 'AWS::EC2::SecurityGroup', arn: regionalArn('ec2', 'security-group') },
  { key: 'functionName', type: 'AWS::Lambda::Function', arn: regionalArn('lambda', 'function', ':') },
  { key: 'secretId', type: 'AWS::SecretsManager::Secret' },
  // a key id may also be an alias name
  { key: 'keyId', type: 'AWS::KMS::Key', arn: (id, c) => (id.startsWith('alias/') ? regionalArn('kms', 'alias')(id.slice(6), c) : regionalArn('kms', 'key')(id, c)) },
  { key: 'dBSnapshotIdentifier', type: 'AWS::RDS::DBSnapshot', arn: regionalArn('rds', 'snapshot', ':') },
  { key: 'dBClusterSnapshotIdentifier', type: 'AWS::RDS::DBClusterSnapshot', arn: regionalArn('rds', 'cluster-snapshot', ':') },
  { key: 'dBInstanceIdentifier', type: 'AWS::RDS::DBInstance', arn: regionalArn('rds', 'db', ':') },
  { key: 'resolverQueryLogConfigId', type: 'AWS::Route53Resolver::ResolverQueryLogConfig', arn: regionalArn('route53resolver', 'resolver-query-log-config') },
  { key: 'detectorId', type: 'AWS::GuardDuty::Detector' },
  { key: 'logGroupName', type: 'AWS::Logs::LogGroup', arn: regionalArn('logs', 'log-group', ':') },
  { key: 'modelId', type: 'AWS::Bedrock::FoundationModel' },
  { key: 'target', type: 'AWS::EC2::Instance' },
  { key: 'targetId', type: 'AWS::Organizations::Target' },
];

export function cloudTrailTarget(record: JsonObject, c: TargetContext): Target | null {
  const request = objectField(record, 'requestParameters');
  const response = objectField(record, 'responseElements');

  if (c.servicePrefix === 'iam') {
    const created = createdIamEntity(response);
    const named = fromRules(request, IAM_RULES, c);
    if (created !== null && (named === null || named.name === created.name)) return created;
    if (named !== null) return named;
    // CreateAccessKey, ChangePassword, EnableMFADevice... without a user name act on the caller
    if (c.category === 'identity' && c.selfArn !== null) return { type: c.selfArn.endsWith(':root') ? 'AWS::IAM::Root' : 'AWS::IAM::User', id: c.selfArn, name: null };
  }
  if (c.servicePrefix === 'sts') {
    const federated = objectField(response, 'federatedUser');
    const federatedArn = stringField(federated, 'arn');
    if (federatedArn !== null) return { type: 'AWS::STS::FederatedUser', id: nfc(federatedArn), name: nfcOrNull(stringField(request, 'name')) };
    const roleArn = stringField(request, 'roleArn');
    if (roleArn !== null) return { type: 'AWS::IAM::Role', id: nfc(roleArn), name: nfcOrNull(roleArn.slice(roleArn.lastIndexOf('/') + 1) || null) };
  }
  if (c.servicePrefix === 'cloudtrail') {
    const name = stringField(request, 'name') ?? stringField(request, 'trailName');
    if (name !== null) {
      const arn = trailArn(name, c) ?? name;
      return { type: 'AWS::CloudTrail::Trail', id: nfc(arn), name: nfc(name.startsWith('arn:') ? name.slice(name.lastIndexOf('/') + 1) : name) };
    }
  }
  return fromRules(request, GENERIC_RULES, c) ?? nestedTarget(request, c) ?? fromResources(record);
}

/** CreateUser/CreateRole/CreatePolicy answer with the new entity's real ARN (with its path). */
function createdIamEntity(response: JsonObject | null): Target | null {
  if (response === null) return null;
  for (const [key, type, nameKey] of [
    ['user', 'AWS::IAM::User', 'userName'],
    ['role', 'AWS::IAM::Role', 'roleName'],
    ['group', 'AWS::IAM::Group', 'groupName'],
    ['policy', 'AWS::IAM::ManagedPolicy', 'policyName'],
  ] as const) {
    const entity = objectField(response, key);
    const arn = stringField(entity, 'arn');
    if (arn !== null) return { type, id: nfc(arn), name: nfcOrNull(stringField(entity, nameKey)) };
  }
  return null;
}

function fromRules(request: JsonObject | null, rules: ParameterRule[], c: TargetContext): Target | null {
  if (request === null) return null;
  for (const rule of rules) {
    const value = stringField(request, rule.key);
    if (value === null) continue;
    const id = rule.arn ? (rule.arn(value, c) ?? value) : value;
    return { type: rule.type, id: nfc(id), name: nfc(value.startsWith('arn:') ? value.slice(lastSeparator(value) + 1) || value : value) };
  }
  return null;
}

/** EC2 and SSM put ids in lists and request wrappers (`instancesSet.items[].instanceId`, `instanceIds[]`, `names[]`). */
function nestedTarget(request: JsonObject | null, c: TargetContext): Target | null {
  if (request === null) return null;
  const items = objectField(request, 'instancesSet')?.items;
  if (Array.isArray(items) && isJsonObject(items[0])) {
    const id = stringField(items[0], 'instanceId');
    if (id !== null) return { type: 'AWS::EC2::Instance', id: nfc(instanceArn(id, c) ?? id), name: nfc(id) };
  }
  const instanceIds = request.instanceIds;
  if (Array.isArray(instanceIds) && typeof instanceIds[0] === 'string' && instanceIds[0] !== '') {
    return { type: 'AWS::EC2::Instance', id: nfc(instanceArn(instanceIds[0], c) ?? instanceIds[0]), name: nfc(instanceIds[0]) };
  }
  const names = request.names;
  if (Array.isArray(names) && typeof names[0] === 'string' && names[0] !== '') {
    return { type: 'AWS::SSM::Parameter', id: nfc(names[0]), name: nfc(names[0]) };
  }
  const flowLogs = objectField(objectField(request, 'DeleteFlowLogsRequest'), 'FlowLogId');
  const flowLogId = stringField(flowLogs, 'content');
  if (flowLogId !== null) return { type: 'AWS::EC2::FlowLog', id: nfc(flowLogArn(flowLogId, c) ?? flowLogId), name: nfc(flowLogId) };
  return null;
}

function fromResources(record: JsonObject): Target | null {
  const resources = record.resources;
  if (!Array.isArray(resources)) return null;
  for (const resource of resources) {
    if (!isJsonObject(resource)) continue;
    const arn = stringField(resource, 'ARN') ?? stringField(resource, 'arn');
    if (arn !== null) return { type: stringField(resource, 'type') ?? 'AWS::Resource', id: nfc(arn), name: null };
  }
  return null;
}

function lastSeparator(arn: string): number {
  return Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
}
