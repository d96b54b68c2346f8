import type { CallContext } from './api-calls.js';
import { Prng } from './prng.js';
import type { CloudTrailResource } from './workload.types.js';

/**
 * Calls whose request parameters are big, for the size mix a real trail has: inline and
 * managed policy writes (5-20 KB records) and, rarely, ECS task definitions whose request
 * and echoed response together pass 100 KB (CloudTrail's own limit is 256 KB per record).
 */
const S3_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:GetObjectVersion', 's3:DeleteObject', 's3:GetBucketLocation'];
const OTHER_ACTIONS = [
  'kms:Decrypt', 'kms:GenerateDataKey', 'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage', 'sqs:ReceiveMessage',
  'sqs:DeleteMessage', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'secretsmanager:GetSecretValue', 'ssm:GetParameter',
];

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

/** A least-privilege-style policy with many narrow statements, grown to about `targetChars`. */
export function policyDocument(c: CallContext, targetChars: number, pretty: boolean): { doc: PolicyDocument; text: string } {
  const r = c.rng;
  const doc: PolicyDocument = { Version: '2012-10-17', Statement: [] };
  let size = 40;
  for (let i = 0; size < targetChars; i++) {
    const s3 = r.chance(0.5);
    const bucket = r.pick(c.res.buckets);
    const statement: Record<string, unknown> = {
      Sid: `${s3 ? 'S3' : 'Svc'}Access${String(i).padStart(3, '0')}`,
      Effect: r.chance(0.9) ? 'Allow' : 'Deny',
      Action: (s3 ? S3_ACTIONS : OTHER_ACTIONS).filter(() => r.chance(0.5)),
      Resource: s3
        ? [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/${r.pick(['team', 'app', 'exports', 'tenants'])}/${r.hex(6)}/*`]
        : [`arn:aws:${r.pick(['sqs', 'dynamodb', 'ssm', 'logs'])}:${c.region}:${c.accountId}:${r.pick(['queue', 'table', 'parameter', 'log-group'])}/${r.pick(['orders', 'payments', 'audit', 'tenants'])}-${r.hex(6)}`],
    };
    if (r.chance(0.4)) statement.Condition = { StringEquals: { 'aws:PrincipalTag/team': r.pick(['payments', 'platform', 'data', 'growth']), 'aws:RequestedRegion': c.region } };
    if ((statement.Action as string[]).length === 0) statement.Action = [s3 ? 's3:GetObject' : 'kms:Decrypt'];
    doc.Statement.push(statement);
    // Estimated rather than serialized: stringifying every statement dominated generation time.
    let est = 70 + (statement.Condition ? 110 : 0);
    for (const a of statement.Action as string[]) est += a.length + 3;
    for (const res of statement.Resource as string[]) est += res.length + 3;
    size += est * (pretty ? 1.6 : 1.05);
  }
  return { doc, text: pretty ? JSON.stringify(doc, null, 4) : JSON.stringify(doc) };
}

export interface LargeCall {
  service: string;
  eventName: string;
  cli: string;
  global: boolean;
  readOnly: false;
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown> | null;
  resources?: CloudTrailResource[];
}

const POLICY_POOL_SIZE = 64;

/**
 * Policies come from a per-account pool, as in real accounts where the same documents are
 * re-applied again and again; building a fresh 10 KB document per record dominated the
 * generator's time. Each pool slot has its own PRNG, so its content does not depend on
 * which record asked first.
 */
function pooledPolicy(c: CallContext, pretty: boolean): { doc: PolicyDocument; text: string } {
  const slot = c.rng.int(POLICY_POOL_SIZE);
  const key = `policy|${c.accountId}|${c.region}|${pretty}|${slot}`;
  let entry = c.cache.get(key) as { doc: PolicyDocument; text: string } | undefined;
  if (!entry) {
    const rng = new Prng(c.seed, key);
    // Escaping of the embedded JSON string adds ~15%; the rest of the record ~1.3 KB.
    entry = policyDocument({ ...c, rng }, rng.range(3_600, 15_000), pretty);
    c.cache.set(key, entry);
  }
  return entry;
}

/** A policy write whose serialized record lands between about 5 and 20 KB. */
export function largePolicyWrite(c: CallContext, pretty: boolean): LargeCall {
  const r = c.rng;
  const kind = r.weighted<'inline' | 'version' | 'bucket'>([['inline', 5], ['version', 3], ['bucket', 2]]);
  if (kind === 'bucket') {
    const bucket = r.pick(c.res.buckets);
    return {
      service: 's3',
      eventName: 'PutBucketPolicy',
      cli: 's3api.put-bucket-policy',
      global: false,
      readOnly: false,
      requestParameters: { bucketPolicy: structuredClone(pooledPolicy(c, false).doc), bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com`, policy: '' },
      responseElements: null,
      resources: [{ accountId: c.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
    };
  }
  const { text } = pooledPolicy(c, pretty);
  if (kind === 'inline') {
    return {
      service: 'iam',
      eventName: 'PutRolePolicy',
      cli: 'iam.put-role-policy',
      global: true,
      readOnly: false,
      requestParameters: { roleName: r.pick(c.res.roles.slice(0, 4)), policyName: `${r.pick(['app', 'data', 'queue'])}-access-${r.hex(4)}`, policyDocument: text },
      responseElements: null,
    };
  }
  return {
    service: 'iam',
    eventName: 'CreatePolicyVersion',
    cli: 'iam.create-policy-version',
    global: true,
    readOnly: false,
    requestParameters: { policyArn: r.pick(c.res.customerPolicies), policyDocument: text, setAsDefault: true },
    responseElements: { policyVersion: { versionId: `v${r.range(2, 5)}`, isDefaultVersion: true, createDate: `${new Date(c.time * 1000).toISOString().slice(0, 19)}Z` } },
  };
}

function containerDefinition(c: CallContext, i: number, envVars: number): Record<string, unknown> {
  const r = c.rng;
  const environment = Array.from({ length: envVars }, (_, k) => ({
    name: `${r.pick(['FEATURE', 'SERVICE', 'LIMIT', 'ENDPOINT', 'TENANT'])}_${r.upperAlnum(6)}_${k}`,
    value: r.chance(0.5) ? `https://${r.pick(['orders', 'payments', 'search', 'users'])}-${r.hex(6)}.internal.example.com:8443/v${r.range(1, 3)}/` : r.base64(r.range(24, 96)),
  }));
  return {
    name: i === 0 ? 'app' : `sidecar-${i}`,
    image: `${c.accountId}.dkr.ecr.${c.region}.amazonaws.com/${r.pick(['web-api', 'payments', 'worker'])}:${r.hex(12)}`,
    cpu: 0,
    portMappings: i === 0 ? [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }] : [],
    essential: i === 0,
    environment,
    mountPoints: [],
    volumesFrom: [],
    secrets: [{ name: 'DB_PASSWORD', valueFrom: c.res.secrets[0] }],
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web-api', 'awslogs-region': c.region, 'awslogs-stream-prefix': `c${i}` } },
  };
}

/** ECS RegisterTaskDefinition with a large environment: a 100-190 KB record. */
export function hugeTaskDefinition(c: CallContext): LargeCall {
  const r = c.rng;
  const family = r.pick(['web-api', 'payments', 'worker']);
  const containers = r.range(6, 10);
  // ~100 bytes per env var, present twice (request and response).
  const targetBytes = r.range(110_000, 190_000);
  const perContainer = Math.ceil(targetBytes / 2 / 100 / containers);
  const defs = Array.from({ length: containers }, (_, i) => containerDefinition(c, i, perContainer));
  const taskRoleArn = `arn:aws:iam::${c.accountId}:role/${family}-task`;
  const executionRoleArn = `arn:aws:iam::${c.accountId}:role/ecsTaskExecutionRole`;
  const revision = r.range(40, 400);
  return {
    service: 'ecs',
    eventName: 'RegisterTaskDefinition',
    cli: 'ecs.register-task-definition',
    global: false,
    readOnly: false,
    requestParameters: {
      family,
      taskRoleArn,
      executionRoleArn,
      networkMode: 'awsvpc',
      containerDefinitions: defs,
      requiresCompatibilities: ['FARGATE'],
      cpu: '1024',
      memory: '2048',
    },
    responseElements: {
      taskDefinition: {
        taskDefinitionArn: `arn:aws:ecs:${c.region}:${c.accountId}:task-definition/${family}:${revision}`,
        // A copy, so that a consumer editing the request cannot change the response.
        containerDefinitions: structuredClone(defs),
        family,
        taskRoleArn,
        executionRoleArn,
        networkMode: 'awsvpc',
        revision,
        volumes: [],
        status: 'ACTIVE',
        requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }, { name: 'ecs.capability.execution-role-awslogs' }],
        placementConstraints: [],
        compatibilities: ['EC2', 'FARGATE'],
        requiresCompatibilities: ['FARGATE'],
        cpu: '1024',
        memory: '2048',
        registeredAt: `${new Date(c.time * 1000).toISOString().slice(0, 19)}Z`,
      },
    },
  };
}
