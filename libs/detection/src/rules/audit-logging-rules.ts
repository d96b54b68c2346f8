import { draft, type EventContext } from '../engine/detection-context.js';
import { actionName, field, isObject, requestParameters, stringOf } from '../event-facts.js';
import type { Severity } from '../anomaly.js';

/**
 * Audit logging stopped or tampered with (DESIGN 7): trails stopped, deleted or narrowed,
 * flow logs, bucket access logs, DNS query logs, configuration recording, log streams.
 * Refused calls change nothing and are not raised.
 */
type Check = (params: Record<string, unknown> | null) => string | null;

const always =
  (what: string): Check =>
  () =>
    what;

const CHECK_TABLE: Record<string, { severity: Severity; check: Check }> = {
  'cloudtrail:StopLogging': { severity: 'critical', check: always('CloudTrail logging was stopped') },
  'cloudtrail:DeleteTrail': { severity: 'critical', check: always('a CloudTrail trail was deleted') },
  'cloudtrail:PutEventSelectors': { severity: 'high', check: narrowedSelectors },
  'cloudtrail:UpdateTrail': { severity: 'high', check: narrowedTrail },
  'cloudtrail:DeleteEventDataStore': { severity: 'high', check: always('a CloudTrail Lake event data store was deleted') },
  'cloudtrail:StopEventDataStoreIngestion': { severity: 'high', check: always('ingestion into a CloudTrail Lake event data store was stopped') },
  'ec2:DeleteFlowLogs': { severity: 'high', check: always('VPC flow logs were deleted') },
  's3:PutBucketLogging': { severity: 'medium', check: bucketLoggingOff },
  'route53resolver:DeleteResolverQueryLogConfig': { severity: 'high', check: always('a Route 53 Resolver DNS query logging configuration was deleted') },
  'route53resolver:DisassociateResolverQueryLogConfig': { severity: 'high', check: always('DNS query logging was detached from a VPC') },
  'route53:DeleteQueryLoggingConfig': { severity: 'high', check: always('Route 53 DNS query logging was deleted') },
  'config:StopConfigurationRecorder': { severity: 'high', check: always('AWS Config recording was stopped') },
  'config:DeleteConfigurationRecorder': { severity: 'high', check: always('the AWS Config recorder was deleted') },
  'config:DeleteDeliveryChannel': { severity: 'high', check: always('the AWS Config delivery channel was deleted') },
  'logs:DeleteLogGroup': { severity: 'high', check: auditLogGroup },
};

const CHECKS = new Map(Object.entries(CHECK_TABLE));

// identity provider log streaming (e.g. Okta `system.log_stream.deactivate`)
const IDP_LOG_STREAM_OFF = /log_stream\.(deactivate|delete)/i;

export function auditLoggingRules(ctx: EventContext): void {
  if (!ctx.success) return;
  const action = actionName(ctx.event);
  const rule = CHECKS.get(action);
  let what: string | null = null;
  let severity: Severity = 'high';
  if (rule !== undefined) {
    what = rule.check(requestParameters(ctx.event));
    severity = rule.severity;
  } else if (action.includes('log_stream') && IDP_LOG_STREAM_OFF.test(action)) {
    what = 'log streaming from the identity provider was turned off';
  }
  if (what === null) return;
  const target = ctx.event.target?.name ?? ctx.event.target?.id ?? null;
  draft(ctx, 'audit_logging_disabled', severity, [ctx.event.id], [target ? `${what} (${target})` : what, 'PCI DSS 10.2.1.6: stopping or pausing audit logs must itself be logged and reviewed'], {
    action,
    target: ctx.event.target?.id ?? null,
  });
}

/** Management events excluded, only reads or only writes, or event sources excluded. */
function narrowedSelectors(params: Record<string, unknown> | null): string | null {
  if (params === null) return null;
  const basic = params.eventSelectors;
  const reasons: string[] = [];
  if (Array.isArray(basic)) {
    if (basic.length === 0) reasons.push('no event selectors remain');
    if (basic.length > 0 && !basic.some((s) => field(s, 'includeManagementEvents') !== false)) reasons.push('management events are no longer recorded');
    for (const s of basic) {
      const rw = stringOf(field(s, 'readWriteType'));
      if (rw !== null && rw !== 'All') reasons.push(`only ${rw === 'ReadOnly' ? 'read' : 'write'} events are recorded`);
      const excluded = field(s, 'excludeManagementEventSources');
      if (Array.isArray(excluded) && excluded.length > 0) reasons.push(`management events from ${excluded.join(', ')} are excluded`);
    }
  }
  const advanced = params.advancedEventSelectors;
  if (Array.isArray(advanced)) {
    const management = advanced.some((s) => selectorFields(s).some((f) => f.field === 'eventCategory' && f.equals.includes('Management')));
    if (!management) reasons.push('no advanced selector records management events');
    for (const s of advanced) {
      for (const f of selectorFields(s)) {
        if (f.field === 'readOnly' && f.equals.length > 0) reasons.push(`only ${f.equals.includes('true') ? 'read' : 'write'} events are recorded`);
        if (f.field === 'eventSource' && f.notEquals.length > 0) reasons.push(`events from ${f.notEquals.join(', ')} are excluded`);
      }
    }
  }
  return reasons.length === 0 ? null : `CloudTrail event selectors were narrowed: ${[...new Set(reasons)].join('; ')}`;
}

function selectorFields(selector: unknown): { field: string; equals: string[]; notEquals: string[] }[] {
  const list = field(selector, 'fieldSelectors') ?? field(selector, 'FieldSelectors');
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((f) => ({
    field: String(f.field ?? f.Field ?? ''),
    equals: ([] as unknown[]).concat(f.equals ?? f.Equals ?? []).map(String),
    notEquals: ([] as unknown[]).concat(f.notEquals ?? f.NotEquals ?? []).map(String),
  }));
}

function narrowedTrail(params: Record<string, unknown> | null): string | null {
  if (params === null) return null;
  const reasons: string[] = [];
  if (params.isMultiRegionTrail === false) reasons.push('the trail now records one region only');
  if (params.includeGlobalServiceEvents === false) reasons.push('global service events (IAM, STS, sign-in) are no longer recorded');
  if (params.enableLogFileValidation === false) reasons.push('log file integrity validation was turned off');
  return reasons.length === 0 ? null : `a CloudTrail trail was narrowed: ${reasons.join('; ')}`;
}

/** PutBucketLogging without a LoggingEnabled element turns server access logging off. */
function bucketLoggingOff(params: Record<string, unknown> | null): string | null {
  if (params === null) return null;
  const status = params.BucketLoggingStatus ?? params.bucketLoggingStatus;
  if (isObject(status) && (isObject(status.LoggingEnabled) || isObject(status.loggingEnabled))) return null;
  const bucket = stringOf(params.bucketName);
  return `S3 server access logging was turned off${bucket ? ` for bucket ${bucket}` : ''}`;
}

function auditLogGroup(params: Record<string, unknown> | null): string | null {
  const name = stringOf(params?.logGroupName);
  return name !== null && /cloudtrail|audit|flow-?log|vpc|dns|query-?log/i.test(name) ? `log group ${name}, which holds audit logs, was deleted` : null;
}
