import { type ApiAction, type CallContext, accessDenied } from './api-calls.js';
import type { Organisation } from './organisation.js';
import { Prng, fmix32, formatUuid, hashSeed } from './prng.js';
import { formatEventTime } from './time.js';
import {
  type ToolProfile,
  awsCliUserAgent,
  boto3UserAgent,
  consoleUserAgent,
  lambdaSdkUserAgent,
  s3Wrapped,
  terraformUserAgent,
} from './user-agents.js';
import type { CloudTrailRecord, CloudTrailResource, CloudTrailUserIdentity } from './workload.types.js';

/**
 * Turns planned calls into CloudTrail records. Everything that only shapes a record (ids,
 * object keys, byte counts) is drawn here, in output order, from one emission PRNG; only
 * what later records depend on (session keys, times, who calls what) is decided when
 * activity is planned.
 */
export class Emission {
  readonly rng: Prng;
  /** Position of the record being built in the output. */
  index = 0;
  readonly cache = new Map<string, unknown>();
  private readonly idSalt: number;

  constructor(
    readonly seed: string,
    readonly org: Organisation,
  ) {
    this.rng = new Prng(seed, 'emission');
    this.idSalt = hashSeed(seed, 'event-id');
  }

  /**
   * UUID v4 whose last 32 bits are a bijection of the output position: ids are unique for
   * the first 2^32 records by construction, not just with high probability.
   */
  eventId(): string {
    const r = this.rng;
    return formatUuid(r.nextU32(), r.nextU32(), r.nextU32(), fmix32((this.index ^ this.idSalt) >>> 0));
  }

  /** S3 request ids are 16 upper-case alphanumerics; the other services use UUIDs. */
  requestId(service: string): string {
    return service === 's3' ? this.rng.upperAlnum(16) : this.rng.uuid();
  }
}

export type Channel = 'console' | 'cli' | 'sdk' | 'terraform' | 'lambda';

/** Who makes a call and through which credential and client. */
export interface Actor {
  identity(): CloudTrailUserIdentity;
  /** The account whose trail records the call. */
  readonly accountId: string;
  readonly ip: string;
  readonly name: string;
  readonly arn: string;
  readonly channel: Channel;
  readonly tools?: ToolProfile;
  readonly browserUa?: string;
  /** Whether size-mix overrides may turn this actor's calls into large writes. */
  readonly canWriteLarge: boolean;
  /** Terraform and SDKs send compact JSON; people paste pretty-printed policies. */
  readonly compactJson?: boolean;
}

export interface CallShape {
  service: string;
  eventName: string;
  cli: string;
  readOnly: boolean;
  data?: boolean;
  global?: boolean;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  resources?: CloudTrailResource[];
  additionalEventData?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
}

const EVENT_VERSION: Record<string, string> = { signin: '1.09', s3: '1.10' };
const eventVersion = (service: string): string => EVENT_VERSION[service] ?? '1.11';

export const regionFor = (shape: { global?: boolean }, region: string): string => (shape.global ? 'us-east-1' : region);

function hostFor(shape: CallShape, region: string): string {
  if (shape.global) return `${shape.service}.amazonaws.com`;
  if (shape.service === 's3') {
    const host = shape.requestParameters?.Host;
    return typeof host === 'string' ? host : `s3.${region}.amazonaws.com`;
  }
  return `${shape.service}.${region}.amazonaws.com`;
}

export function userAgentFor(actor: Actor, shape: { service: string; cli: string }): string {
  let ua: string;
  switch (actor.channel) {
    case 'console':
      return consoleUserAgent(shape.service, actor.browserUa ?? 'AWS Internal');
    case 'cli':
      ua = awsCliUserAgent(actor.tools!, shape.cli);
      break;
    case 'sdk':
      ua = boto3UserAgent(actor.tools!);
      break;
    case 'terraform':
      ua = terraformUserAgent(shape.service);
      break;
    case 'lambda':
      ua = lambdaSdkUserAgent(shape.service);
      break;
  }
  return shape.service === 's3' ? s3Wrapped(ua) : ua;
}

export function callContext(em: Emission, actor: Actor, region: string, time: number): CallContext {
  return {
    rng: em.rng,
    org: em.org,
    res: em.org.resources.get(actor.accountId)!,
    accountId: actor.accountId,
    region,
    time,
    actorName: actor.name,
    seed: em.seed,
    cache: em.cache,
  };
}

export function evaluateAction(a: ApiAction, c: CallContext, denied: boolean, callerArn: string): CallShape {
  const requestParameters = a.request(c);
  const shape: CallShape = {
    service: a.service,
    eventName: a.eventName,
    cli: a.cli,
    readOnly: a.readOnly,
    data: a.data,
    global: a.global,
    requestParameters,
    responseElements: denied || !a.response ? null : a.response(c, requestParameters),
    resources: a.resources?.(c, requestParameters),
  };
  if (denied) Object.assign(shape, accessDenied(a, c, callerArn, requestParameters));
  return shape;
}

function tls(em: Emission, host: string): NonNullable<CloudTrailRecord['tlsDetails']> {
  // A few old clients and proxies still negotiate TLS 1.2.
  return em.rng.chance(0.03)
    ? { tlsVersion: 'TLSv1.2', cipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: host }
    : { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host };
}

function s3AdditionalData(em: Emission, shape: CallShape): Record<string, unknown> {
  const get = shape.eventName === 'GetObject' && !shape.errorCode;
  const put = shape.eventName === 'PutObject' && !shape.errorCode;
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: put ? em.rng.range(200, 8_000_000) : 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': em.rng.base64(76),
    bytesTransferredOut: get ? em.rng.range(200, 12_000_000) : shape.eventName === 'ListBuckets' ? em.rng.range(800, 4000) : 0,
  };
}

export interface RecordOverrides {
  sourceIPAddress?: string;
  userAgent?: string;
  sharedEventID?: boolean;
  /** AWSService calls and "AWS Internal" console calls carry no TLS details. */
  noTls?: boolean;
}

/** One API call record, keys in CloudTrail's delivery order. */
export function callRecord(em: Emission, time: number, actor: Actor, shape: CallShape, region: string, o: RecordOverrides = {}): CloudTrailRecord {
  const awsRegion = regionFor(shape, region);
  const rec: Record<string, unknown> = {
    eventVersion: eventVersion(shape.service),
    userIdentity: actor.identity(),
    eventTime: formatEventTime(time),
    eventSource: `${shape.service}.amazonaws.com`,
    eventName: shape.eventName,
    awsRegion,
    sourceIPAddress: o.sourceIPAddress ?? actor.ip,
    userAgent: o.userAgent ?? userAgentFor(actor, shape),
  };
  if (shape.errorCode) {
    rec.errorCode = shape.errorCode;
    rec.errorMessage = shape.errorMessage;
  }
  rec.requestParameters = shape.requestParameters;
  rec.responseElements = shape.responseElements;
  const additional = shape.additionalEventData ?? (shape.service === 's3' ? s3AdditionalData(em, shape) : undefined);
  if (additional) rec.additionalEventData = additional;
  rec.requestID = em.requestId(shape.service);
  rec.eventID = em.eventId();
  rec.readOnly = shape.readOnly;
  if (shape.resources) rec.resources = shape.resources;
  rec.eventType = 'AwsApiCall';
  rec.managementEvent = !shape.data;
  rec.recipientAccountId = actor.accountId;
  if (o.sharedEventID) rec.sharedEventID = em.rng.uuid();
  rec.eventCategory = shape.data ? 'Data' : 'Management';
  if (!o.noTls) rec.tlsDetails = tls(em, hostFor(shape, awsRegion));
  if (actor.channel === 'console') rec.sessionCredentialFromConsole = 'true';
  return rec as unknown as CloudTrailRecord;
}

export interface SignIn {
  identity: CloudTrailUserIdentity;
  accountId: string;
  ip: string;
  userAgent: string;
  success: boolean;
  mfaUsed: boolean;
  mfaIdentifier?: string;
  /** SSO (federated) sign-ins carry no LoginTo. */
  loginTo: boolean;
}

export function consoleLoginRecord(em: Emission, time: number, s: SignIn): CloudTrailRecord {
  const rec: Record<string, unknown> = {
    eventVersion: eventVersion('signin'),
    userIdentity: s.identity,
    eventTime: formatEventTime(time),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: s.ip,
    userAgent: s.userAgent,
  };
  if (!s.success) rec.errorMessage = 'Failed authentication';
  rec.requestParameters = null;
  rec.responseElements = { ConsoleLogin: s.success ? 'Success' : 'Failure' };
  const additional: Record<string, unknown> = {};
  if (s.loginTo) {
    additional.LoginTo = `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_eu-west-1_${em.rng.hex(16)}`;
  }
  additional.MobileVersion = 'No';
  additional.MFAUsed = s.mfaUsed ? 'Yes' : 'No';
  if (s.mfaIdentifier) additional.MFAIdentifier = s.mfaIdentifier;
  rec.additionalEventData = additional;
  rec.eventID = em.eventId();
  rec.readOnly = false;
  rec.eventType = 'AwsConsoleSignIn';
  rec.managementEvent = true;
  rec.recipientAccountId = s.accountId;
  rec.eventCategory = 'Management';
  rec.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'signin.aws.amazon.com' };
  return rec as unknown as CloudTrailRecord;
}

/** STS session tokens are ~600-900 base64 characters starting with the `IQoJb3JpZ2luX2Vj` header. */
export function sessionToken(rng: Prng): string {
  return `IQoJb3JpZ2luX2Vj${rng.base64(rng.range(560, 860))}`;
}
