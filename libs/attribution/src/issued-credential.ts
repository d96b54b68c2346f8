import type { ActorKind, Attribution, LedgerEvent } from '#domain';

/** A temporary credential handed out by STS, and who obtained it. */
export interface IssuedCredential {
  credentialId: string;
  /** The accountable subject of the issuing call: who later use of the key is attributed to. */
  subject: string;
  attribution: Attribution;
  kind: ActorKind;
  /** The role or federated identity the credential acts as. */
  via: string | null;
  sessionName: string | null;
  issuedAt: string;
  expiresAt: string | null;
}

// STS calls whose response hands out a new temporary access key.
const ISSUING_ACTIONS = new Set([
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetFederationToken',
  'sts:GetSessionToken',
  'sts:AssumeRoot',
]);

/**
 * The credential an event issued, if it is a successful STS call whose response names the
 * new access key id (CloudTrail keeps `responseElements.credentials.accessKeyId`). Only the
 * raw record has the response, so it is read from there, for these few events only.
 */
export function issuedCredentialOf(event: LedgerEvent): IssuedCredential | null {
  if (event.origin.system !== 'aws-cloudtrail' || !ISSUING_ACTIONS.has(event.action) || event.outcome === 'failure') return null;
  const record = parseRecord(event.raw);
  const response = objectAt(record, 'responseElements');
  const credentials = objectAt(response, 'credentials');
  const credentialId = stringAt(credentials, 'accessKeyId');
  if (!credentialId) return null;
  const via =
    stringAt(objectAt(response, 'assumedRoleUser'), 'arn') ??
    stringAt(objectAt(response, 'federatedUser'), 'arn') ??
    stringAt(objectAt(record, 'requestParameters'), 'roleArn') ??
    null;
  const request = objectAt(record, 'requestParameters');
  const sessionName = stringAt(request, 'roleSessionName') ?? stringAt(request, 'name') ?? null;
  const expiration = stringAt(credentials, 'expiration');
  const expiresAt = expiration && !Number.isNaN(Date.parse(expiration)) ? new Date(expiration).toISOString() : null;
  return {
    credentialId,
    subject: event.actor.subject,
    attribution: event.actor.attribution,
    kind: event.actor.kind,
    via,
    sessionName,
    issuedAt: event.time,
    expiresAt,
  };
}

/** Events that the credential chain may attribute better than the record alone did. */
export function needsChainAttribution(event: LedgerEvent): boolean {
  return (
    Boolean(event.actor.credential_id) &&
    (event.actor.attribution === 'unresolved' || event.actor.attribution === 'session_name_claim')
  );
}

function parseRecord(raw: string): unknown {
  try {
    const parsed: unknown = JSON.parse(raw);
    // An EventBridge envelope carries the CloudTrail record in `detail`.
    const isEnvelope = typeof (parsed as Record<string, unknown> | null)?.['detail-type'] === 'string';
    return isEnvelope ? (objectAt(parsed, 'detail') ?? parsed) : parsed;
  } catch {
    return null;
  }
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const child = (value as Record<string, unknown>)[key];
  return child && typeof child === 'object' && !Array.isArray(child) ? (child as Record<string, unknown>) : undefined;
}

function stringAt(value: Record<string, unknown> | undefined, key: string): string | undefined {
  const child = value?.[key];
  return typeof child === 'string' && child.length > 0 ? child : undefined;
}
