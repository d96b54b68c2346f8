import { type IncidentTracker, type Plan, type SourceContext, personDay, sessionActor } from './activity.js';
import { apiAction } from './api-calls.js';
import { iamUserWithAccessKey, rootConsoleSession, rootSignIn } from './identities.js';
import { randomIpv4 } from './networks.js';
import { INCIDENT_ACTORS, type Person, accessKeyId } from './organisation.js';
import { Prng } from './prng.js';
import { type Actor, type CallShape, type Emission, callContext, callRecord, consoleLoginRecord, evaluateAction } from './record-builder.js';
import { SECONDS_PER_DAY, formatAwsDate } from './time.js';
import { browserUserAgent } from './user-agents.js';
import type { CloudTrailRecord, IncidentKind, SeededIncident } from './workload.types.js';

/**
 * The seeded incidents: the failures DESIGN 1 says teams really make, placed at plausible
 * times of an otherwise normal day. Each knows its evidence records by the event ids they
 * get when emitted, and reports itself once all of them exist.
 */
export class Tracker implements IncidentTracker {
  private readonly eventIds: string[] = [];
  private firstTime: string | null = null;
  expected = 0;

  constructor(
    private readonly kind: IncidentKind,
    private readonly subject: string,
    private readonly description: string,
    private readonly expectedAnomalyTypes: string[],
    private readonly report: (incident: SeededIncident) => void,
    private readonly possibleAnomalyTypes: string[] = [],
  ) {}

  onEventId(eventId: string, eventTime: string): void {
    this.eventIds.push(eventId);
    if (this.firstTime === null || eventTime < this.firstTime) this.firstTime = eventTime;
    if (this.eventIds.length === this.expected) {
      this.report({
        kind: this.kind,
        subject: this.subject,
        eventIds: [...this.eventIds],
        description: this.description,
        time: this.firstTime,
        expectedAnomalyTypes: [...this.expectedAnomalyTypes],
        ...(this.possibleAnomalyTypes.length > 0 ? { possibleAnomalyTypes: [...this.possibleAnomalyTypes] } : {}),
      });
    }
  }

  /** Marks a plan as evidence. */
  track(plan: Plan): Plan {
    this.expected++;
    return { ...plan, incident: this };
  }
}

const hm = (h: number, m: number): number => h * 3600 + m * 60;

function cliCall(shape: Omit<CallShape, 'cli'> & { cli: string }): CallShape {
  return shape;
}

/** The person's own workday IP at time t (office or home), so the incident blends in. */
function ipAt(ctx: SourceContext, p: Person, t: number): string {
  const day = Math.floor((t + p.location.utcOffsetMinutes * 60) / SECONDS_PER_DAY);
  return personDay(ctx, p, day).ip;
}

function cliActor(ctx: SourceContext, p: Person, t: number): Actor {
  return sessionActor(() => iamUserWithAccessKey(p, ctx.org.accountId), ctx.org.accountId, ipAt(ctx, p, t), p, 'cli');
}

function planWindow(ctx: SourceContext, windowStart: number, length: number, report: (i: SeededIncident) => void): Plan[] {
  const { org } = ctx;
  const rng = new Prng(ctx.seed, 'incidents', windowStart);
  // Nominal UTC times of day, scaled into the window when the requested range is shorter.
  const at = (nominal: number): number => windowStart + Math.floor((Math.min(nominal, SECONDS_PER_DAY - 1) / SECONDS_PER_DAY) * length);
  const plans: Plan[] = [];
  const region = org.primaryRegion;
  const admin = org.people[INCIDENT_ACTORS.admin];
  const ops = org.people[INCIDENT_ACTORS.ops];
  const victim = org.people[INCIDENT_ACTORS.sharedAccount];
  const target = org.people[INCIDENT_ACTORS.attachTarget];
  const rootArn = `arn:aws:iam::${org.accountId}:root`;

  // (d) An admin grants AdministratorAccess straight to a developer's user, from the CLI.
  {
    const t = at(hm(10, 20) + rng.range(-1800, 1800));
    const tracker = new Tracker(
      'admin_policy_attached_to_user',
      admin.userArn,
      `${admin.userName} attached AdministratorAccess directly to IAM user ${target.userName} (not through a group or role)`,
      ['direct_privilege_grant', 'admin_privilege_granted'],
      report,
      // the admin may never have attached a policy to a user before
      ['first_time_sensitive_action'],
    );
    const actor = cliActor(ctx, admin, t);
    plans.push(
      tracker.track({
        t,
        build: (em, time) =>
          callRecord(em, time, actor, cliCall({ service: 'iam', eventName: 'AttachUserPolicy', cli: 'iam.attach-user-policy', global: true, readOnly: false, requestParameters: { userName: target.userName, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, responseElements: null }), region),
      }),
    );
  }

  // (e) The same IAM user signs in from Germany and, minutes later, from Brazil on another device.
  {
    const t1 = at(hm(12, 50) + rng.range(-2400, 2400));
    const t2 = t1 + rng.range(6 * 60, 14 * 60);
    const tracker = new Tracker(
      'shared_account_two_countries',
      victim.userArn,
      `IAM user ${victim.userName} has console sessions from DE and BR within ${Math.round((t2 - t1) / 60)} minutes, with two different browsers: the credentials (password and MFA) are shared`,
      ['shared_account_suspected', 'impossible_travel'],
      report,
      // new for the victim the first time this happens to them; seen before afterwards
      ['unfamiliar_country', 'unfamiliar_device', 'unfamiliar_network'],
    );
    const otherUa = victim.browser === 'safari' || victim.os === 'macos' ? browserUserAgent('windows', 'chrome') : browserUserAgent('macos', 'safari');
    const sessions = [
      { t: t1, ip: victim.homeIp, ua: victim.browserUa },
      { t: t2, ip: randomIpv4(rng, 'BR'), ua: otherUa },
    ];
    for (const s of sessions) {
      const key = accessKeyId(rng, 'ASIA');
      const actor: Actor = {
        ...sessionActor(
          () => ({
            type: 'IAMUser',
            principalId: victim.principalId,
            arn: victim.userArn,
            accountId: org.accountId,
            accessKeyId: key,
            userName: victim.userName,
            sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: new Date(s.t * 1000).toISOString().slice(0, 19) + 'Z', mfaAuthenticated: 'true' } },
          }),
          org.accountId,
          s.ip,
          victim,
          'console',
        ),
        browserUa: s.ua,
      };
      plans.push(
        tracker.track({
          t: s.t,
          build: (em, time) =>
            consoleLoginRecord(em, time, {
              identity: { type: 'IAMUser', principalId: victim.principalId, arn: victim.userArn, accountId: org.accountId, userName: victim.userName },
              accountId: org.accountId,
              ip: s.ip,
              userAgent: s.ua,
              success: true,
              mfaUsed: true,
              mfaIdentifier: victim.mfaSerial,
              loginTo: true,
            }),
        }),
      );
      let t = s.t;
      for (const [svc, name] of [['ec2', 'DescribeInstances'], ['s3', 'ListBuckets'], ['s3', 'GetObject']] as const) {
        t += rng.range(10, 90);
        plans.push(tracker.track({ t, build: (em, time) => apiRecord(em, time, actor, svc, name) }));
      }
    }
  }

  // (c) An ops engineer stops the audit trail "for maintenance" and restarts it later.
  {
    const t = at(hm(15, 10) + rng.range(-1800, 1800));
    const tracker = new Tracker(
      'trail_stopped',
      ops.userArn,
      `${ops.userName} stopped logging on CloudTrail trail ${org.trail.name}`,
      ['audit_logging_disabled'],
      report,
      ['first_time_sensitive_action'],
    );
    const actor = cliActor(ctx, ops, t);
    const trailCall = (eventName: string, cli: string): CallShape =>
      cliCall({ service: 'cloudtrail', eventName, cli, readOnly: false, requestParameters: { name: org.trail.arn }, responseElements: null });
    plans.push(tracker.track({ t, build: (em, time) => callRecord(em, time, actor, trailCall('StopLogging', 'cloudtrail.stop-logging'), region) }));
    plans.push({ t: t + rng.range(25 * 60, 50 * 60), build: (em, time) => callRecord(em, time, actor, trailCall('StartLogging', 'cloudtrail.start-logging'), region) });
  }

  // (a)+(b) Someone signs in as root without MFA in the evening and creates a root access key.
  {
    const t = at(hm(20, 40) + rng.range(-1800, 1800));
    const loginTracker = new Tracker(
      'root_console_login_without_mfa',
      rootArn,
      `Root user console sign-in without MFA from ${org.rootIp}`,
      // a console sign-in straight into the shared root identity, and nobody witnessed the session
      ['root_account_used', 'console_login_without_mfa', 'direct_root_login', 'root_session_unwitnessed'],
      report,
    );
    const keyTracker = new Tracker(
      'root_access_key_created',
      rootArn,
      'Root user created an access key for itself',
      ['root_access_key_created', 'root_account_used', 'root_session_unwitnessed'],
      report,
    );
    const key = accessKeyId(rng, 'ASIA');
    const rootActor: Actor = {
      identity: () => rootConsoleSession(org.accountId, key, t, false),
      accountId: org.accountId,
      ip: org.rootIp,
      name: 'root',
      arn: rootArn,
      channel: 'console',
      browserUa: admin.browserUa,
      canWriteLarge: false,
    };
    plans.push(
      loginTracker.track({
        t,
        build: (em, time) =>
          consoleLoginRecord(em, time, { identity: rootSignIn(org.accountId), accountId: org.accountId, ip: org.rootIp, userAgent: admin.browserUa, success: true, mfaUsed: false, loginTo: true }),
      }),
    );
    let s = t + rng.range(20, 60);
    plans.push({ t: s, build: (em, time) => apiRecord(em, time, rootActor, 'iam', 'GetAccountSummary') });
    s += rng.range(30, 120);
    plans.push({
      t: s,
      build: (em, time) => callRecord(em, time, rootActor, cliCall({ service: 'iam', eventName: 'ListAccessKeys', cli: 'iam.list-access-keys', global: true, readOnly: true, requestParameters: null, responseElements: null }), region),
    });
    s += rng.range(60, 300);
    const newKey = accessKeyId(rng, 'AKIA');
    plans.push(
      keyTracker.track({
        t: s,
        build: (em, time) =>
          callRecord(
            em,
            time,
            rootActor,
            cliCall({
              service: 'iam',
              eventName: 'CreateAccessKey',
              cli: 'iam.create-access-key',
              global: true,
              readOnly: false,
              // No userName: the key is for the calling identity, which is root.
              requestParameters: null,
              responseElements: { accessKey: { accessKeyId: newKey, status: 'Active', createDate: formatAwsDate(time) } },
            }),
            region,
          ),
      }),
    );
  }
  return plans.sort((a, b) => a.t - b.t);
}

export function apiRecord(em: Emission, t: number, actor: Actor, service: string, name: string): CloudTrailRecord {
  const region = em.org.primaryRegion;
  const shape = evaluateAction(apiAction(service, name), callContext(em, actor, region, t), false, actor.arn);
  return callRecord(em, t, actor, shape, region);
}

export function* incidentSource(ctx: SourceContext, report: (i: SeededIncident) => void): Generator<Plan> {
  if (ctx.incidentEveryDays <= 0) return;
  for (let k = 0; ; k++) {
    const windowStart = ctx.start + k * ctx.incidentEveryDays * SECONDS_PER_DAY;
    if (windowStart >= ctx.end) return;
    const length = Math.min(SECONDS_PER_DAY, ctx.end - windowStart);
    yield* planWindow(ctx, windowStart, length, report);
  }
}

