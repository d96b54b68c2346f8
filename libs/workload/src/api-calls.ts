import type { AccountResources, Organisation } from './organisation.js';
import type { Prng } from './prng.js';
import { formatAwsDateWithComma, formatEventTime } from './time.js';
import type { CloudTrailResource } from './workload.types.js';

/**
 * The API calls people and automation make, with request/response shapes copied from real
 * CloudTrail records. CloudTrail logs `null` request parameters for calls without arguments
 * and `null` response elements for read-only calls; both are kept that way on purpose.
 */
export type AccessClass = 'read' | 'write' | 'iam-write';

export interface CallContext {
  readonly rng: Prng;
  readonly org: Organisation;
  readonly res: AccountResources;
  readonly accountId: string;
  readonly region: string;
  readonly time: number;
  /** IAM user name or role session name, for calls about "myself". */
  readonly actorName: string;
  readonly seed: string;
  /** Per-run memo for expensive, reusable payloads (policy documents). */
  readonly cache: Map<string, unknown>;
}

type Params = Record<string, unknown> | null;

export interface ApiAction {
  readonly service: string;
  readonly eventName: string;
  /** The AWS CLI's name for the call (`md/command#...` in the CLI user agent). */
  readonly cli: string;
  readonly readOnly: boolean;
  readonly access: AccessClass;
  readonly weight: number;
  /** S3 object-level calls are CloudTrail data events. */
  readonly data?: boolean;
  /** IAM is global: recorded in us-east-1 against iam.amazonaws.com. */
  readonly global?: boolean;
  request(c: CallContext): Params;
  response?(c: CallContext, req: Params): Params;
  resources?(c: CallContext, req: Params): CloudTrailResource[];
  /** The ARN an AccessDenied message names. */
  deniedResource?(c: CallContext, req: Params): string;
}

const day = (c: CallContext): string => formatEventTime(c.time).slice(0, 10);

function s3Key(c: CallContext, bucket: string): string {
  const r = c.rng;
  if (bucket.includes('artifacts')) return `builds/${r.pick(c.res.functions)}/${day(c)}/${r.pick(c.res.functions)}-${r.hex(8)}.zip`;
  if (bucket.includes('uploads')) return `uploads/${r.uuid()}.${r.pick(['jpg', 'png', 'pdf'])}`;
  if (bucket.includes('data-lake')) return `raw/orders/dt=${day(c)}/part-${String(r.int(64)).padStart(5, '0')}-${r.hex(8)}.snappy.parquet`;
  if (bucket.includes('terraform-state')) return `env/${r.pick(['prod', 'staging'])}/${r.pick(['network', 'app', 'iam'])}/terraform.tfstate`;
  return `monthly/2026-10/${r.pick(['cost-report', 'usage', 'invoices'])}.csv`;
}

const s3Bucket = (c: CallContext): string => c.rng.pick(c.res.buckets.filter((b) => !b.includes('terraform-state')));
const s3Host = (c: CallContext, bucket: string): string => `${bucket}.s3.${c.region}.amazonaws.com`;
const bucketArn = (b: string): string => `arn:aws:s3:::${b}`;
const bucketResources = (c: CallContext, req: Params): CloudTrailResource[] => [
  { accountId: c.accountId, type: 'AWS::S3::Bucket', ARN: bucketArn(String(req?.bucketName)) },
];
const objectResources = (c: CallContext, req: Params): CloudTrailResource[] => [
  { type: 'AWS::S3::Object', ARN: `${bucketArn(String(req?.bucketName))}/${String(req?.key)}` },
  { accountId: c.accountId, type: 'AWS::S3::Bucket', ARN: bucketArn(String(req?.bucketName)) },
];
const kmsResources = (c: CallContext): CloudTrailResource[] => [
  { accountId: c.accountId, type: 'AWS::KMS::Key', ARN: c.rng.pick(c.res.kmsKeys) },
];
const instance = (c: CallContext): string => c.rng.pick(c.res.instances);
const fnArn = (c: CallContext, fn: string): string => `arn:aws:lambda:${c.region}:${c.accountId}:function:${fn}`;

export function lambdaConfiguration(c: CallContext, fn: string): Record<string, unknown> {
  const r = c.rng;
  return {
    functionName: fn,
    functionArn: fnArn(c, fn),
    runtime: 'nodejs22.x',
    role: `arn:aws:iam::${c.accountId}:role/service-role/${fn}-role`,
    handler: 'index.handler',
    codeSize: r.range(20_000, 4_000_000),
    description: '',
    timeout: r.pick([15, 30, 60]),
    memorySize: r.pick([256, 512, 1024]),
    lastModified: `${formatEventTime(c.time).slice(0, 19)}.000+0000`,
    codeSha256: `${r.base64(43)}=`,
    version: '$LATEST',
    environment: {},
    tracingConfig: { mode: 'PassThrough' },
    revisionId: r.uuid(),
    state: 'Active',
    lastUpdateStatus: 'InProgress',
    lastUpdateStatusReason: 'The function is being created.',
    lastUpdateStatusReasonCode: 'Creating',
    packageType: 'Zip',
    architectures: ['arm64'],
    ephemeralStorage: { size: 512 },
    snapStart: { applyOn: 'None', optimizationStatus: 'Off' },
    runtimeVersionConfig: { runtimeVersionArn: `arn:aws:lambda:${c.region}::runtime:${r.hex(64)}` },
    loggingConfig: { logFormat: 'Text', logGroup: `/aws/lambda/${fn}` },
  };
}

function action(a: ApiAction): ApiAction {
  return a;
}

export const API_ACTIONS: readonly ApiAction[] = [
  // --- EC2 ---
  action({
    service: 'ec2', eventName: 'DescribeInstances', cli: 'ec2.describe-instances', readOnly: true, access: 'read', weight: 10,
    request: (c) =>
      c.rng.chance(0.3)
        ? { instancesSet: { items: [{ instanceId: instance(c) }] }, filterSet: {} }
        : { maxResults: 1000, instancesSet: {}, filterSet: {} },
  }),
  action({ service: 'ec2', eventName: 'DescribeSecurityGroups', cli: 'ec2.describe-security-groups', readOnly: true, access: 'read', weight: 4, request: () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }) }),
  action({ service: 'ec2', eventName: 'DescribeVpcs', cli: 'ec2.describe-vpcs', readOnly: true, access: 'read', weight: 2, request: () => ({ vpcSet: {}, filterSet: {} }) }),
  action({ service: 'ec2', eventName: 'DescribeSubnets', cli: 'ec2.describe-subnets', readOnly: true, access: 'read', weight: 2, request: () => ({ subnetSet: {}, filterSet: {} }) }),
  action({ service: 'ec2', eventName: 'DescribeVolumes', cli: 'ec2.describe-volumes', readOnly: true, access: 'read', weight: 2, request: () => ({ volumeSet: {}, filterSet: {} }) }),
  action({ service: 'ec2', eventName: 'DescribeRegions', cli: 'ec2.describe-regions', readOnly: true, access: 'read', weight: 1, request: () => ({ regionSet: {}, allRegions: false }) }),
  action({
    service: 'ec2', eventName: 'StartInstances', cli: 'ec2.start-instances', readOnly: false, access: 'write', weight: 1,
    request: (c) => ({ instancesSet: { items: [{ instanceId: instance(c) }] } }),
    response: (c, req) => ({
      requestId: c.rng.uuid(),
      instancesSet: { items: [{ instanceId: (req as { instancesSet: { items: { instanceId: string }[] } }).instancesSet.items[0].instanceId, currentState: { code: 0, name: 'pending' }, previousState: { code: 80, name: 'stopped' } }] },
    }),
    deniedResource: (c, req) => `arn:aws:ec2:${c.region}:${c.accountId}:instance/${(req as { instancesSet: { items: { instanceId: string }[] } }).instancesSet.items[0].instanceId}`,
  }),
  action({
    service: 'ec2', eventName: 'StopInstances', cli: 'ec2.stop-instances', readOnly: false, access: 'write', weight: 1,
    request: (c) => ({ instancesSet: { items: [{ instanceId: instance(c) }] }, force: false }),
    response: (c, req) => ({
      requestId: c.rng.uuid(),
      instancesSet: { items: [{ instanceId: (req as { instancesSet: { items: { instanceId: string }[] } }).instancesSet.items[0].instanceId, currentState: { code: 64, name: 'stopping' }, previousState: { code: 16, name: 'running' } }] },
    }),
    deniedResource: (c, req) => `arn:aws:ec2:${c.region}:${c.accountId}:instance/${(req as { instancesSet: { items: { instanceId: string }[] } }).instancesSet.items[0].instanceId}`,
  }),
  action({
    service: 'ec2', eventName: 'CreateTags', cli: 'ec2.create-tags', readOnly: false, access: 'write', weight: 2,
    request: (c) => ({
      resourcesSet: { items: [{ resourceId: instance(c) }] },
      tagSet: { items: [{ key: c.rng.pick(['owner', 'cost-center', 'env', 'team']), value: c.rng.pick(['payments', 'platform', 'prod', 'data', 'cc-4711']) }] },
    }),
    response: (c) => ({ requestId: c.rng.uuid(), _return: true }),
  }),
  action({
    service: 'ec2', eventName: 'AuthorizeSecurityGroupIngress', cli: 'ec2.authorize-security-group-ingress', readOnly: false, access: 'write', weight: 0.5,
    request: (c) => ({
      groupId: c.rng.pick(c.res.securityGroups),
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, groups: {}, ipRanges: { items: [{ cidrIp: '10.20.0.0/16' }] }, ipv6Ranges: {}, prefixListIds: {} }] },
    }),
    response: (c, req) => ({
      requestId: c.rng.uuid(),
      _return: true,
      securityGroupRuleSet: { items: [{ groupOwnerId: c.accountId, groupId: String(req?.groupId), securityGroupRuleId: `sgr-0${c.rng.hex(16)}`, isEgress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.20.0.0/16' }] },
    }),
  }),
  // --- S3 ---
  action({
    service: 's3', eventName: 'ListBuckets', cli: 's3.ls', readOnly: true, access: 'read', weight: 4,
    request: (c) => ({ Host: `s3.${c.region}.amazonaws.com` }),
  }),
  action({
    service: 's3', eventName: 'GetBucketLocation', cli: 's3api.get-bucket-location', readOnly: true, access: 'read', weight: 2,
    request: (c) => { const b = s3Bucket(c); return { bucketName: b, Host: `${b}.s3.amazonaws.com`, location: '' }; },
    resources: bucketResources,
  }),
  action({
    service: 's3', eventName: 'GetBucketPolicy', cli: 's3api.get-bucket-policy', readOnly: true, access: 'read', weight: 1,
    request: (c) => { const b = s3Bucket(c); return { bucketName: b, Host: s3Host(c, b), policy: '' }; },
    resources: bucketResources,
  }),
  action({
    service: 's3', eventName: 'GetObject', cli: 's3.cp', readOnly: true, access: 'read', weight: 10, data: true,
    request: (c) => { const b = s3Bucket(c); return { bucketName: b, Host: s3Host(c, b), key: s3Key(c, b) }; },
    resources: objectResources,
    deniedResource: (_c, req) => `arn:aws:s3:::${String(req?.bucketName)}/${String(req?.key)}`,
  }),
  action({
    service: 's3', eventName: 'PutObject', cli: 's3.cp', readOnly: false, access: 'write', weight: 7, data: true,
    request: (c) => { const b = s3Bucket(c); return { bucketName: b, Host: s3Host(c, b), key: s3Key(c, b) }; },
    response: () => ({ 'x-amz-server-side-encryption': 'AES256' }),
    resources: objectResources,
    deniedResource: (_c, req) => `arn:aws:s3:::${String(req?.bucketName)}/${String(req?.key)}`,
  }),
  action({
    service: 's3', eventName: 'DeleteObject', cli: 's3.rm', readOnly: false, access: 'write', weight: 1, data: true,
    request: (c) => { const b = s3Bucket(c); return { bucketName: b, Host: s3Host(c, b), key: s3Key(c, b) }; },
    resources: objectResources,
  }),
  // --- IAM ---
  action({ service: 'iam', eventName: 'ListUsers', cli: 'iam.list-users', readOnly: true, access: 'read', weight: 2, global: true, request: () => null }),
  action({ service: 'iam', eventName: 'ListRoles', cli: 'iam.list-roles', readOnly: true, access: 'read', weight: 2, global: true, request: () => null }),
  action({ service: 'iam', eventName: 'GetUser', cli: 'iam.get-user', readOnly: true, access: 'read', weight: 1, global: true, request: (c) => ({ userName: c.actorName.includes('@') ? c.rng.pick(c.org.people).userName : c.actorName }) }),
  action({ service: 'iam', eventName: 'GetRole', cli: 'iam.get-role', readOnly: true, access: 'read', weight: 2, global: true, request: (c) => ({ roleName: c.rng.pick(c.res.roles) }) }),
  action({ service: 'iam', eventName: 'ListAttachedUserPolicies', cli: 'iam.list-attached-user-policies', readOnly: true, access: 'read', weight: 1, global: true, request: (c) => ({ userName: c.rng.pick(c.org.people).userName }) }),
  action({ service: 'iam', eventName: 'ListGroupsForUser', cli: 'iam.list-groups-for-user', readOnly: true, access: 'read', weight: 1, global: true, request: (c) => ({ userName: c.rng.pick(c.org.people).userName }) }),
  action({ service: 'iam', eventName: 'GetPolicy', cli: 'iam.get-policy', readOnly: true, access: 'read', weight: 1, global: true, request: (c) => ({ policyArn: c.rng.pick(c.res.customerPolicies) }) }),
  action({ service: 'iam', eventName: 'GetPolicyVersion', cli: 'iam.get-policy-version', readOnly: true, access: 'read', weight: 1, global: true, request: (c) => ({ policyArn: c.rng.pick(c.res.customerPolicies), versionId: `v${c.rng.range(1, 6)}` }) }),
  action({ service: 'iam', eventName: 'GetAccountSummary', cli: 'iam.get-account-summary', readOnly: true, access: 'read', weight: 0.5, global: true, request: () => null }),
  action({
    service: 'iam', eventName: 'CreateUser', cli: 'iam.create-user', readOnly: false, access: 'iam-write', weight: 0.3, global: true,
    request: (c) => ({ userName: `svc-${c.rng.pick(['reporting', 'backup', 'etl', 'grafana'])}-${c.rng.hex(4)}` }),
    response: (c, req) => ({
      user: { path: '/', userName: String(req?.userName), userId: `AIDA${c.rng.upperAlnum(17)}`, arn: `arn:aws:iam::${c.accountId}:user/${String(req?.userName)}`, createDate: formatAwsDateWithComma(c.time) },
    }),
    deniedResource: (c, req) => `arn:aws:iam::${c.accountId}:user/${String(req?.userName)}`,
  }),
  action({
    service: 'iam', eventName: 'AddUserToGroup', cli: 'iam.add-user-to-group', readOnly: false, access: 'iam-write', weight: 0.5, global: true,
    request: (c) => ({ groupName: c.rng.pick(['developers', 'readonly', 'ops']), userName: c.rng.pick(c.org.people).userName }),
    response: () => null,
    deniedResource: (c, req) => `arn:aws:iam::${c.accountId}:group/${String(req?.groupName)}`,
  }),
  action({
    service: 'iam', eventName: 'TagUser', cli: 'iam.tag-user', readOnly: false, access: 'iam-write', weight: 1, global: true,
    request: (c) => ({ userName: c.rng.pick(c.org.people).userName, tags: [{ key: 'team', value: c.rng.pick(['payments', 'platform', 'data']) }] }),
    response: () => null,
    deniedResource: (c, req) => `arn:aws:iam::${c.accountId}:user/${String(req?.userName)}`,
  }),
  action({
    service: 'iam', eventName: 'AttachRolePolicy', cli: 'iam.attach-role-policy', readOnly: false, access: 'iam-write', weight: 0.7, global: true,
    request: (c) => ({ roleName: c.rng.pick(c.res.roles.slice(0, 4)), policyArn: c.rng.pick(['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/CloudWatchLogsReadOnlyAccess', c.rng.pick(c.res.customerPolicies)]) }),
    response: () => null,
    deniedResource: (c, req) => `arn:aws:iam::${c.accountId}:role/${String(req?.roleName)}`,
  }),
  // --- STS ---
  action({ service: 'sts', eventName: 'GetCallerIdentity', cli: 'sts.get-caller-identity', readOnly: true, access: 'read', weight: 5, request: () => null }),
  // --- KMS ---
  action({
    service: 'kms', eventName: 'Decrypt', cli: 'kms.decrypt', readOnly: true, access: 'read', weight: 4,
    request: (c) => (c.rng.chance(0.5) ? { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } : { encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::${s3Bucket(c)}` }, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }),
    resources: kmsResources,
  }),
  action({ service: 'kms', eventName: 'DescribeKey', cli: 'kms.describe-key', readOnly: true, access: 'read', weight: 1, request: (c) => ({ keyId: c.rng.pick(c.res.kmsKeys) }), resources: kmsResources }),
  action({ service: 'kms', eventName: 'ListKeys', cli: 'kms.list-keys', readOnly: true, access: 'read', weight: 0.5, request: () => null }),
  action({ service: 'kms', eventName: 'GenerateDataKey', cli: 'kms.generate-data-key', readOnly: true, access: 'write', weight: 2, request: (c) => ({ keyId: c.rng.pick(c.res.kmsKeys), keySpec: 'AES_256' }), resources: kmsResources }),
  action({ service: 'kms', eventName: 'Encrypt', cli: 'kms.encrypt', readOnly: true, access: 'write', weight: 1, request: (c) => ({ keyId: c.rng.pick(c.res.kmsKeys), encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }), resources: kmsResources }),
  // --- CloudWatch Logs ---
  action({ service: 'logs', eventName: 'DescribeLogGroups', cli: 'logs.describe-log-groups', readOnly: true, access: 'read', weight: 3, request: (c) => (c.rng.chance(0.5) ? null : { logGroupNamePrefix: c.rng.pick(['/aws/lambda/', '/ecs/', '/app/']) }) }),
  action({ service: 'logs', eventName: 'DescribeLogStreams', cli: 'logs.describe-log-streams', readOnly: true, access: 'read', weight: 2, request: (c) => ({ logGroupName: c.rng.pick(c.res.logGroups), orderBy: 'LastEventTime', descending: true }) }),
  action({
    service: 'logs', eventName: 'FilterLogEvents', cli: 'logs.filter-log-events', readOnly: true, access: 'read', weight: 3,
    request: (c) => ({ logGroupName: c.rng.pick(c.res.logGroups), startTime: (c.time - 3600) * 1000, endTime: c.time * 1000, filterPattern: c.rng.pick(['ERROR', '"Task timed out"', '{ $.level = "error" }', '']), interleaved: true }),
  }),
  action({
    service: 'logs', eventName: 'StartQuery', cli: 'logs.start-query', readOnly: true, access: 'read', weight: 1,
    request: (c) => ({ logGroupNames: [c.rng.pick(c.res.logGroups)], startTime: c.time - 86_400, endTime: c.time, queryString: 'fields @timestamp, @message | filter @message like /ERROR/ | sort @timestamp desc | limit 100' }),
    response: (c) => ({ queryId: c.rng.uuid() }),
  }),
  action({ service: 'logs', eventName: 'CreateLogGroup', cli: 'logs.create-log-group', readOnly: false, access: 'write', weight: 0.2, request: (c) => ({ logGroupName: `/app/${c.rng.pick(['reporting', 'etl', 'webhooks'])}-${c.rng.hex(4)}` }), response: () => null }),
  action({ service: 'logs', eventName: 'PutRetentionPolicy', cli: 'logs.put-retention-policy', readOnly: false, access: 'write', weight: 0.5, request: (c) => ({ logGroupName: c.rng.pick(c.res.logGroups), retentionInDays: c.rng.pick([30, 90, 365]) }), response: () => null }),
  // --- Lambda ---
  action({ service: 'lambda', eventName: 'ListFunctions20150331', cli: 'lambda.list-functions', readOnly: true, access: 'read', weight: 2, request: () => null }),
  action({ service: 'lambda', eventName: 'GetFunction20150331v2', cli: 'lambda.get-function', readOnly: true, access: 'read', weight: 2, request: (c) => ({ functionName: c.rng.pick(c.res.functions) }) }),
  action({
    service: 'lambda', eventName: 'UpdateFunctionCode20150331v2', cli: 'lambda.update-function-code', readOnly: false, access: 'write', weight: 1.5,
    request: (c) => { const fn = c.rng.pick(c.res.functions); return { functionName: fnArn(c, fn), publish: false, dryRun: false }; },
    response: (c, req) => lambdaConfiguration(c, String(req?.functionName).split(':').pop()!),
    deniedResource: (_c, req) => String(req?.functionName),
  }),
  action({
    service: 'lambda', eventName: 'UpdateFunctionConfiguration20150331v2', cli: 'lambda.update-function-configuration', readOnly: false, access: 'write', weight: 0.7,
    request: (c) => ({ functionName: c.rng.pick(c.res.functions), timeout: c.rng.pick([30, 60]), memorySize: c.rng.pick([512, 1024]) }),
    response: (c, req) => lambdaConfiguration(c, String(req?.functionName)),
    deniedResource: (c, req) => fnArn(c, String(req?.functionName)),
  }),
  // --- CloudTrail (read side; the trail-stopping incident is seeded separately) ---
  action({ service: 'cloudtrail', eventName: 'LookupEvents', cli: 'cloudtrail.lookup-events', readOnly: true, access: 'read', weight: 1, request: (c) => ({ lookupAttributes: [{ attributeKey: 'EventName', attributeValue: c.rng.pick(['ConsoleLogin', 'AssumeRole', 'RunInstances']) }], maxResults: 50 }) }),
  action({ service: 'cloudtrail', eventName: 'DescribeTrails', cli: 'cloudtrail.describe-trails', readOnly: true, access: 'read', weight: 0.5, request: () => ({ trailNameList: [], includeShadowTrails: true }) }),
  action({ service: 'cloudtrail', eventName: 'GetTrailStatus', cli: 'cloudtrail.get-trail-status', readOnly: true, access: 'read', weight: 0.5, request: (c) => ({ name: c.org.trail.arn }) }),
  // --- Secrets Manager ---
  action({
    service: 'secretsmanager', eventName: 'GetSecretValue', cli: 'secretsmanager.get-secret-value', readOnly: true, access: 'read', weight: 0.7,
    request: (c) => ({ secretId: c.rng.pick(c.res.secrets) }),
    deniedResource: (_c, req) => String(req?.secretId),
  }),
];

export const SERVICES = ['ec2', 's3', 'iam', 'sts', 'kms', 'logs', 'lambda', 'cloudtrail', 'secretsmanager'] as const;

const byName = new Map(API_ACTIONS.map((a) => [`${a.service}:${a.eventName}`, a]));

export function apiAction(service: string, eventName: string): ApiAction {
  const a = byName.get(`${service}:${eventName}`);
  if (!a) throw new Error(`no such action ${service}:${eventName}`);
  return a;
}

const catalogue = new Map<string, (readonly [ApiAction, number])[]>();
for (const a of API_ACTIONS) {
  for (const key of [`${a.access}`, `${a.access}/${a.service}`]) {
    const list = catalogue.get(key) ?? [];
    list.push([a, a.weight]);
    catalogue.set(key, list);
  }
}

/** A call of the given class, from `focus` when that service has one. */
export function pickAction(rng: Prng, cls: AccessClass, focus: string | null): ApiAction {
  const focused = focus ? catalogue.get(`${cls}/${focus}`) : undefined;
  return rng.weighted(focused && rng.chance(cls === 'read' ? 0.75 : 0.4) ? focused : catalogue.get(cls)!);
}

/** The error CloudTrail records for a denied call, per service convention. */
export function accessDenied(a: ApiAction, c: CallContext, callerArn: string, req: Params): { errorCode: string; errorMessage: string } {
  const perm = `${a.service === 'lambda' ? 'lambda' : a.service}:${a.eventName.replace(/20150331(v2)?$/, '')}`;
  const resource = a.deniedResource?.(c, req) ?? `arn:aws:${a.service}:${a.global ? '' : c.region}:${c.accountId}:*`;
  const detail = `User: ${callerArn} is not authorized to perform: ${perm} on resource: ${resource} because no identity-based policy allows the ${perm} action`;
  switch (a.service) {
    case 'ec2':
      return { errorCode: 'Client.UnauthorizedOperation', errorMessage: `You are not authorized to perform this operation. ${detail}` };
    case 's3':
      return { errorCode: 'AccessDenied', errorMessage: 'Access Denied' };
    case 'iam':
    case 'sts':
      return { errorCode: 'AccessDenied', errorMessage: detail };
    default:
      return { errorCode: 'AccessDeniedException', errorMessage: detail };
  }
}
