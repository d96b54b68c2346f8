import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnomalyType } from '../anomaly.js';
import { isSensitiveAction } from '../baseline/sensitive-actions.js';
import { detectAll } from '../engine/detection-engine.js';
import { actionName, type DetectableEvent } from '../event-facts.js';
import type { GeoLookup } from '../geo/geo-lookup.js';
import { normalizeText } from './normalize-records.js';

/**
 * Stratus Red Team detonation logs (`cloudtrail/stratus/*.ndjson`): what a reviewer would
 * expect our catalogue to raise for each technique.
 *
 * Two settings. `alone`: the file is the whole history, so only rule-based types can fire
 * (baseline types are in warm-up). `with history`: the same subjects first show 30 days of
 * routine read-only activity from the same address and client, at the same time of day,
 * and the technique follows: then a sensitive action the subject never performed raises
 * `first_time_sensitive_action` as well. Techniques that do nothing to identities, access
 * or audit logging (launching instances, opening a port, invoking a model), or whose every
 * step was refused, are expected to raise nothing: they are attributed and stored, and
 * belong to other detection tools.
 */
export interface StratusExpectation {
  identityRelevant: boolean;
  alone: AnomalyType[];
  /** Added on top of `alone` after a warm-up history. */
  withHistory: AnomalyType[];
  why: string;
}

const FTSA: AnomalyType[] = ['first_time_sensitive_action'];
const none = (why: string): StratusExpectation => ({ identityRelevant: false, alone: [], withHistory: [], why });
const firstTime = (why: string): StratusExpectation => ({ identityRelevant: true, alone: [], withHistory: FTSA, why });
const audit = (why: string): StratusExpectation => ({ identityRelevant: true, alone: ['audit_logging_disabled'], withHistory: FTSA, why });

export const STRATUS_EXPECTATIONS: Readonly<Record<string, StratusExpectation>> = {
  'aws.credential-access.ec2-get-password-data': none('every GetPasswordData call was refused (UnauthorizedOperation); the role assumption itself is routine'),
  'aws.credential-access.ec2-steal-instance-credentials': firstTime('ssm:SendCommand on an instance is a first for the user; the instance role used from outside the instance is not in the catalogue'),
  'aws.credential-access.secretsmanager-batch-retrieve-secrets': firstTime('bulk secret retrieval by a user who never read secrets'),
  'aws.credential-access.secretsmanager-retrieve-secrets': firstTime('secret retrieval by a user who never read secrets'),
  'aws.credential-access.ssm-retrieve-securestring-parameters': firstTime('SecureString parameters read by a user who never read them'),
  'aws.defense-evasion.cloudtrail-delete': audit('DeleteTrail'),
  'aws.defense-evasion.cloudtrail-event-selectors': audit('PutEventSelectors without management events, read-only'),
  'aws.defense-evasion.cloudtrail-stop': audit('StopLogging'),
  'aws.defense-evasion.dns-delete-logs': audit('DeleteResolverQueryLogConfig'),
  'aws.defense-evasion.organizations-leave': none('LeaveOrganization was refused (AccessDenied): nothing changed'),
  'aws.defense-evasion.vpc-remove-flow-logs': audit('DeleteFlowLogs'),
  'aws.discovery.ec2-download-user-data': none('discovery calls, all refused'),
  'aws.execution.ec2-launch-unusual-instances': none('instance launch (refused); not an identity matter'),
  'aws.execution.ec2-user-data': firstTime('ModifyInstanceAttribute replaces the user data that runs as root on the instance: a first for the user'),
  'aws.execution.ssm-send-command': firstTime('ssm:SendCommand: remote command execution, a first for the user'),
  'aws.execution.ssm-start-session': firstTime('ssm:StartSession: a remote shell, a first for the user'),
  'aws.exfiltration.ec2-security-group-open-port-22-ingress': none('a network rule change; not an identity matter'),
  'aws.exfiltration.ec2-share-ami': firstTime('an image shared with another account: a first for the user'),
  'aws.exfiltration.ec2-share-ebs-snapshot': firstTime('a snapshot shared with another account: a first for the user'),
  'aws.exfiltration.rds-share-snapshot': firstTime('a database snapshot shared with another account: a first for the user'),
  'aws.impact.bedrock-invoke-model': none('model invocation; not an identity matter'),
  'aws.initial-access.console-login-without-mfa': { identityRelevant: true, alone: ['console_login_without_mfa'], withHistory: [], why: 'IAM user console sign-in with MFAUsed No' },
  'aws.lateral-movement.ec2-instance-connect': firstTime('an SSH key pushed to instances: a first for the user'),
  'aws.lateral-movement.ec2-serial-console-send-ssh-public-key': firstTime('serial console enabled and an SSH key pushed: a first for the user'),
  'aws.persistence.iam-backdoor-role': firstTime("a role's trust policy opened to another account: a first for the user"),
  'aws.persistence.iam-backdoor-user': firstTime('an access key created for another user: a first for the user'),
  'aws.persistence.iam-create-admin-user': {
    identityRelevant: true,
    alone: ['admin_privilege_granted', 'direct_privilege_grant'],
    withHistory: FTSA,
    why: 'a new user with AdministratorAccess attached directly',
  },
  'aws.persistence.iam-create-backdoor-role': { identityRelevant: true, alone: ['admin_privilege_granted'], withHistory: FTSA, why: 'a new role with AdministratorAccess, trusted by another account' },
  'aws.persistence.iam-create-user-login-profile': firstTime("a console password created for another user: a first for the user"),
  'aws.persistence.lambda-backdoor-function': firstTime('a Lambda function opened to any principal: a first for the user'),
  'aws.persistence.lambda-layer-extension': firstTime('a layer added to a Lambda function: a first for the user'),
  'aws.persistence.lambda-overwrite-code': firstTime("a Lambda function's code replaced: a first for the user"),
  'aws.persistence.rolesanywhere-create-trust-anchor': firstTime('IAM Roles Anywhere trust anchor and profile: a first for the user'),
  'aws.persistence.sts-federation-token': firstTime('a federation token minted by a user who never minted one'),
  'aws.privilege-escalation.iam-update-user-login-profile': firstTime("another user's console password changed: a first for the user"),
};

export interface StratusResult {
  technique: string;
  events: number;
  rejected: number;
  identityRelevant: boolean;
  why: string;
  alone: { expected: AnomalyType[]; raised: AnomalyType[]; pass: boolean };
  withHistory: { expected: AnomalyType[]; raised: AnomalyType[]; pass: boolean };
}

export interface StratusReport {
  results: StratusResult[];
  passed: number;
  failed: number;
}

/** Raised must equal expected exactly: a missing type is a miss, an extra one a false alarm. */
export function evaluateStratus(stratusDir: string, options: { geo?: GeoLookup } = {}): StratusReport {
  const files = readdirSync(stratusDir).filter((f) => f.endsWith('.ndjson')).sort();
  const results = files.map((file) => {
    const technique = file.replace(/\.ndjson$/, '');
    const expectation = STRATUS_EXPECTATIONS[technique] ?? { identityRelevant: false, alone: [], withHistory: [], why: 'not reviewed' };
    const batch = normalizeText(readFileSync(join(stratusDir, file), 'utf8'), 'aws-cloudtrail');
    const alone = typesOf(detectAll(batch.events, { geo: options.geo }).map((a) => a.type));
    const historyEvents = [...routineHistory(batch.events), ...batch.events];
    const withHistory = typesOf(detectAll(historyEvents, { geo: options.geo }).map((a) => a.type));
    const expectedAlone = [...expectation.alone].sort();
    const expectedHistory = [...new Set([...expectation.alone, ...expectation.withHistory])].sort();
    return {
      technique,
      events: batch.events.length,
      rejected: batch.rejected.length,
      identityRelevant: expectation.identityRelevant,
      why: expectation.why,
      alone: { expected: expectedAlone, raised: alone, pass: same(alone, expectedAlone) },
      withHistory: { expected: expectedHistory, raised: withHistory, pass: same(withHistory, expectedHistory) },
    };
  });
  const passed = results.filter((r) => r.alone.pass && r.withHistory.pass).length;
  return { results, passed, failed: results.length - passed };
}

function typesOf(types: AnomalyType[]): AnomalyType[] {
  return [...new Set(types)].sort();
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const ROUTINE_ACTIONS = ['sts:GetCallerIdentity', 'ec2:DescribeInstances', 's3:ListBuckets', 'iam:ListUsers', 'logs:DescribeLogGroups', 'ec2:DescribeVpcs'];
const DAY = 86_400_000;

/**
 * Thirty days of routine, read-only activity for every subject of a technique, on weekdays,
 * from the address and client of its first event there, around the same hour of day: the
 * subject is then an established user for whom the technique is new.
 */
export function routineHistory(events: readonly DetectableEvent[]): DetectableEvent[] {
  const firstBySubject = new Map<string, DetectableEvent>();
  for (const e of [...events].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))) {
    if (!firstBySubject.has(e.actor.subject)) firstBySubject.set(e.actor.subject, e);
  }
  const out: DetectableEvent[] = [];
  let n = 0;
  for (const [subject, template] of firstBySubject) {
    const start = Date.parse(template.time);
    for (let day = 30; day >= 1; day--) {
      const dayStart = start - day * DAY;
      const weekday = new Date(dayStart).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      for (let i = 0; i < 12; i++) {
        // spread over three hours before and after the technique's time of day
        const t = dayStart - 3 * 3_600_000 + Math.floor((i * 6 * 3_600_000) / 12);
        const action = ROUTINE_ACTIONS[(i + day) % ROUTINE_ACTIONS.length];
        if (isSensitiveAction(action)) continue;
        out.push({
          ...template,
          id: `history:${subject}:${n++}`,
          category: 'activity',
          type: 'activity.api_call',
          time: new Date(t).toISOString(),
          action,
          target: null,
          outcome: 'success',
          outcome_reason: null,
          raw: '',
        });
      }
    }
  }
  return out.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

export function sensitiveActionsOf(events: readonly DetectableEvent[]): string[] {
  return [...new Set(events.filter((e) => e.outcome !== 'failure').map(actionName).filter(isSensitiveAction))].sort();
}
