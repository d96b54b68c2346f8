import { type Plan, type SourceContext, type PersonDay, personDay, sessionActor } from './activity.js';
import { apiAction } from './api-calls.js';
import { iamUserConsoleSession, iamUserFailedSignIn, iamUserSignIn, iamUserWithAccessKey } from './identities.js';
import { Tracker, apiRecord } from './incidents.js';
import { ATTACK_NETWORKS, HOSTING_NETWORKS, type CountryCode, randomIpv4In } from './networks.js';
import { INCIDENT_ACTORS, type Person, accessKeyId } from './organisation.js';
import { Prng } from './prng.js';
import { personOn, tripOn } from './realism.js';
import { type Actor, type CallShape, type Emission, callRecord, consoleLoginRecord } from './record-builder.js';
import { SECONDS_PER_DAY, formatAwsDate } from './time.js';
import { type Browser, type DeviceOs, browserUserAgent } from './user-agents.js';
import { BASELINE_INCIDENT_KINDS, type SeededIncident } from './workload.types.js';

/**
 * Realistic attacks on people whose baselines are established, for measuring the baseline
 * detectors (DESIGN 7). Each incident lists the anomaly types that genuinely apply to it:
 * the attacker's country, network or device is new for the victim, the time is outside
 * their hours, and so on, so that everything a correct detector raises is either expected
 * here or a false positive. Victims rotate so that no one is attacked the same way twice
 * within the run; attackers come from countries where the organisation has nobody.
 */
type Kind = (typeof BASELINE_INCIDENT_KINDS)[number];

const hour = 3600;
const GO_SDK_UA = 'aws-sdk-go-v2/1.32.3 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/sts#1.33.1 m/E';
/** Attacker browsers, in order of preference; the first the victim does not use is taken. */
const ATTACKER_BROWSERS: readonly (readonly [DeviceOs, Browser])[] = [
  ['windows', 'edge'],
  ['linux', 'firefox'],
  ['windows', 'firefox'],
  ['linux', 'chrome'],
  ['macos', 'firefox'],
  ['windows', 'chrome'],
];
const FAR_COUNTRIES = ['VN', 'CN', 'ID', 'NG'];
const ANY_ATTACK_COUNTRY = Object.keys(ATTACK_NETWORKS);

interface Victim {
  p: Person;
  /** Local day number of the incident and the person's day then. */
  day: number;
  pd: PersonDay;
}

interface VictimHistory {
  lastDay: number;
  kinds: Set<Kind>;
  countries: Set<string>;
  devices: Set<string>;
}

/** What an incident needs chosen for it so that what it introduces is new for the victim. */
interface Choice {
  country: string;
  attackerUa: string;
}

/**
 * Incidents every `everyDays` from `fromDay` of the range, every kind in every window. The
 * schedule is planned whole (the range must be bounded): each kind goes to the person
 * attacked least recently who has not suffered that kind yet, at least four days after
 * their previous incident, so that one attack never explains or hides another.
 */
export function* baselineIncidentSource(ctx: SourceContext, report: (i: SeededIncident) => void): Generator<Plan> {
  const config = ctx.baselineIncidents;
  if (config === null || !Number.isFinite(ctx.end)) return;
  const eligible = ctx.org.people.filter((p) => p.access === 'iam-user' && !(Object.values(INCIDENT_ACTORS) as number[]).includes(p.index));
  if (eligible.length === 0) return;
  const history = new Map<number, VictimHistory>(eligible.map((p) => [p.index, { lastDay: -Infinity, kinds: new Set(), countries: new Set(), devices: new Set() }]));
  const firstDay = Math.floor(ctx.start / SECONDS_PER_DAY) + config.fromDay;
  const plans: Plan[] = [];
  for (let k = 0; ; k++) {
    const windowDay = firstDay + k * config.everyDays;
    if (windowDay * SECONDS_PER_DAY >= ctx.end) break;
    BASELINE_INCIDENT_KINDS.forEach((kind, i) => {
      const order = [...eligible].sort((a, b) => history.get(a.index)!.lastDay - history.get(b.index)!.lastDay || ((a.index + k * 7 + i) % 97) - ((b.index + k * 7 + i) % 97));
      for (const p of order) {
        const h = history.get(p.index)!;
        if (h.kinds.has(kind)) continue;
        const v = victimDay(ctx, kind, p, windowDay);
        if (v === null || v.day < h.lastDay + 4) continue;
        const choice = choose(ctx, kind, v, h, k + i);
        const rng = new Prng(ctx.seed, 'baseline-incident', kind, k);
        const planned = plan(ctx, kind, v, choice, k, rng, report).filter((x) => x.t >= ctx.start && x.t < ctx.end);
        if (planned.length === 0) continue;
        plans.push(...planned);
        h.lastDay = v.day;
        h.kinds.add(kind);
        if (kind !== 'password_spray') h.countries.add(choice.country); // refused sign-ins teach no country
        if (kind === 'stolen_password_abroad' || kind === 'brute_force_login') h.devices.add(choice.attackerUa);
        break;
      }
    });
  }
  yield* plans.sort((a, b) => a.t - b.t);
}

function victimDay(ctx: SourceContext, kind: Kind, p: Person, from: number): Victim | null {
  switch (kind) {
    case 'stolen_password_abroad':
    case 'brute_force_login':
      return dayOff(ctx, p, from);
    case 'stolen_key_from_hosting':
      return dayOff(ctx, p, from, true);
    default:
      return workDay(ctx, p, from);
  }
}

function choose(ctx: SourceContext, kind: Kind, v: Victim, h: VictimHistory, salt: number): Choice {
  // a hijacked session is replayed from the other side of the world (from India: Africa or Brazil)
  const pool = kind === 'session_hijack_abroad' ? (v.p.location.region === 'IN' ? ['NG', 'BR'] : FAR_COUNTRIES) : ANY_ATTACK_COUNTRY;
  const rotated = pool.map((_, j) => pool[(j + salt) % pool.length]);
  const country = rotated.find((c) => !h.countries.has(c)) ?? rotated[0];
  return { country, attackerUa: attackerBrowser(ctx, v, h.devices) };
}

function plan(ctx: SourceContext, kind: Kind, v: Victim, c: Choice, k: number, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  switch (kind) {
    case 'stolen_password_abroad':
      return stolenPasswordAbroad(ctx, v, c, rng, report);
    case 'stolen_key_from_hosting':
      return stolenKeyFromHosting(ctx, v, rng, report);
    case 'night_key_use':
      return nightKeyUse(ctx, v, rng, report);
    case 'api_enumeration':
      return apiEnumeration(ctx, v, rng, report);
    case 'first_sensitive_action':
      return firstSensitiveAction(ctx, v, k, rng, report);
    case 'password_spray':
      return passwordSpray(ctx, v, c, rng, report);
    case 'brute_force_login':
      return bruteForceLogin(ctx, v, c, rng, report);
    case 'session_hijack_abroad':
      return sessionHijackAbroad(ctx, v, c, rng, report);
  }
}

function atHomeAround(ctx: SourceContext, p: Person, day: number): boolean {
  return [day - 1, day, day + 1].every((d) => tripOn(ctx.seed, ctx.realism, p, d, ctx.officeIps) === null);
}

/** A day in the week from `from` on which the person does not work and is at home. */
function dayOff(ctx: SourceContext, p: Person, from: number, needsHosting = false): Victim | null {
  if (needsHosting && HOSTING_NETWORKS[p.location.country] === undefined) return null;
  for (let day = from; day < from + 7; day++) {
    const pd = personDay(ctx, p, day);
    if (!pd.works && atHomeAround(ctx, p, day)) return { p, day, pd };
  }
  return null;
}

/** A working day at home in the week from `from`. */
function workDay(ctx: SourceContext, p: Person, from: number): Victim | null {
  for (let day = from; day < from + 7; day++) {
    const pd = personDay(ctx, p, day);
    if (pd.works && !pd.traveling && atHomeAround(ctx, p, day) && pd.endUtc - pd.startUtc > 6 * hour) return { p, day, pd };
  }
  return null;
}

function localTime(v: Victim, hours: number): number {
  return v.day * SECONDS_PER_DAY - v.p.location.utcOffsetMinutes * 60 + Math.floor(hours * hour);
}

function attackerBrowser(ctx: SourceContext, v: Victim, usedBefore: ReadonlySet<string>): string {
  const now = personOn(ctx.seed, ctx.realism, v.p, v.day, ctx.officeIps);
  const own = new Set([`${v.p.os}/${v.p.browser}`, `${now.os}/${now.browser}`]);
  const fresh = ATTACKER_BROWSERS.filter(([o, b]) => !own.has(`${o}/${b}`)).map(([o, b]) => browserUserAgent(o, b));
  return fresh.find((ua) => !usedBefore.has(ua)) ?? fresh[0];
}

function consoleActor(ctx: SourceContext, v: Victim, ip: string, ua: string, at: number, rng: Prng): Actor {
  const key = accessKeyId(rng, 'ASIA');
  return { ...sessionActor(() => iamUserConsoleSession(v.p, ctx.org.accountId, key, at, true), ctx.org.accountId, ip, v.p, 'console'), browserUa: ua };
}

const CONSOLE_READS: readonly (readonly [string, string])[] = [
  ['iam', 'ListUsers'],
  ['iam', 'ListRoles'],
  ['lambda', 'ListFunctions20150331'],
  ['kms', 'ListKeys'],
  ['logs', 'DescribeLogGroups'],
  ['cloudtrail', 'DescribeTrails'],
];
const API_READS: readonly (readonly [string, string])[] = [
  ['sts', 'GetCallerIdentity'],
  ['iam', 'ListUsers'],
  ['iam', 'ListRoles'],
  ['s3', 'ListBuckets'],
  ['ec2', 'DescribeInstances'],
  ['ec2', 'DescribeRegions'],
  ['kms', 'ListKeys'],
  ['ec2', 'DescribeSecurityGroups'],
];

function reads(tracker: Tracker, actor: Actor, from: number, count: number, gapMin: number, gapMax: number, calls: readonly (readonly [string, string])[], rng: Prng, ua?: string): { plans: Plan[]; end: number } {
  const plans: Plan[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    t += rng.range(gapMin, gapMax);
    const [svc, name] = calls[i % calls.length];
    plans.push(
      tracker.track({
        t,
        build: ua === undefined ? (em, time) => apiRecord(em, time, actor, svc, name) : (em, time) => withUserAgent(apiRecord(em, time, actor, svc, name), ua),
      }),
    );
  }
  return { plans, end: t };
}

function withUserAgent<T extends { userAgent: string }>(record: T, ua: string): T {
  record.userAgent = ua;
  return record;
}

function signInPlan(tracker: Tracker, ctx: SourceContext, v: Victim, t: number, ip: string, ua: string, success: boolean, mfaUsed: boolean): Plan {
  const identity = success ? iamUserSignIn(v.p, ctx.org.accountId) : iamUserFailedSignIn(v.p, ctx.org.accountId);
  return tracker.track({
    t,
    build: (em, time) => consoleLoginRecord(em, time, { identity, accountId: ctx.org.accountId, ip, userAgent: ua, success, mfaUsed, mfaIdentifier: success && mfaUsed ? v.p.mfaSerial : undefined, loginTo: true }),
  });
}

function stolenPasswordAbroad(ctx: SourceContext, v: Victim, c: Choice, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const country = c.country;
  const ip = randomIpv4In(rng, rng.pick(ATTACK_NETWORKS[country]));
  const ua = c.attackerUa;
  const t = localTime(v, 11 + rng.int(4));
  const tracker = new Tracker(
    'stolen_password_abroad',
    v.p.userArn,
    `${v.p.userName}'s password and MFA were phished: console sign-in from ${country} on a browser the user does not use, on their day off`,
    ['unfamiliar_country', 'unfamiliar_device'],
    report,
  );
  const actor = consoleActor(ctx, v, ip, ua, t, rng);
  return [signInPlan(tracker, ctx, v, t, ip, ua, true, true), ...reads(tracker, actor, t + 20, rng.range(5, 9), 30, 120, CONSOLE_READS, rng).plans];
}

function stolenKeyFromHosting(ctx: SourceContext, v: Victim, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const ranges = HOSTING_NETWORKS[v.p.location.country as CountryCode]!;
  const ip = randomIpv4In(rng, rng.pick(ranges));
  const t = localTime(v, 12 + rng.int(4));
  const tracker = new Tracker(
    'stolen_key_from_hosting',
    v.p.userArn,
    `${v.p.userName}'s access key is used with the Go SDK from a hosting provider in ${v.p.location.country}, on their day off`,
    ['unfamiliar_network', 'unfamiliar_device'],
    report,
  );
  const actor = sessionActor(() => iamUserWithAccessKey(v.p, ctx.org.accountId), ctx.org.accountId, ip, v.p, 'sdk');
  return reads(tracker, actor, t, rng.range(8, 15), 20, 90, API_READS, rng, GO_SDK_UA).plans;
}

function nightKeyUse(ctx: SourceContext, v: Victim, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const q = personOn(ctx.seed, ctx.realism, v.p, v.day, ctx.officeIps);
  const t = localTime(v, 2.5 + rng.int(90) / 60);
  const tracker = new Tracker('night_key_use', v.p.userArn, `${v.p.userName}'s access key and CLI are used at ${new Date(t * 1000).toISOString().slice(11, 16)} UTC, the middle of their night, from home`, ['unusual_hour'], report);
  const actor = sessionActor(() => iamUserWithAccessKey(v.p, ctx.org.accountId), ctx.org.accountId, v.p.homeIp, q, 'cli');
  return reads(tracker, actor, t, rng.range(10, 20), 20, 120, API_READS, rng).plans;
}

function apiEnumeration(ctx: SourceContext, v: Victim, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const q = personOn(ctx.seed, ctx.realism, v.p, v.day, ctx.officeIps);
  const t = v.pd.startUtc + 2 * hour + rng.int(2 * hour);
  const count = rng.range(700, 1200);
  const tracker = new Tracker('api_enumeration', v.p.userArn, `a script with ${v.p.userName}'s key enumerates the account: ${count} calls in about half an hour`, ['activity_volume_spike'], report);
  const actor = sessionActor(() => iamUserWithAccessKey(v.p, ctx.org.accountId), ctx.org.accountId, v.pd.ip, q, 'sdk');
  const plans: Plan[] = [];
  let at = t;
  const calls: readonly (readonly [string, string])[] = [['s3', 'GetObject'], ['ec2', 'DescribeInstances'], ['iam', 'GetRole'], ['logs', 'DescribeLogStreams'], ['s3', 'GetBucketPolicy'], ['iam', 'ListAttachedUserPolicies']];
  for (let i = 0; i < count; i++) {
    at += rng.int(3);
    const [svc, name] = calls[i % calls.length];
    plans.push(tracker.track({ t: at, build: (em, time) => apiRecord(em, time, actor, svc, name) }));
  }
  return plans;
}

interface SensitiveCall {
  name: string;
  shape: (ctx: SourceContext, victim: Person, other: Person, time: number, rng: Prng) => CallShape;
}

const SENSITIVE_CALLS: readonly SensitiveCall[] = [
  {
    name: 'ec2:ModifySnapshotAttribute',
    shape: (_c, _v, _o, _t, rng) => ({
      service: 'ec2', eventName: 'ModifySnapshotAttribute', cli: 'ec2.modify-snapshot-attribute', readOnly: false,
      requestParameters: { snapshotId: `snap-0${rng.hex(16)}`, createVolumePermission: { add: { items: [{ userId: '999988887777' }] } }, attributeType: 'CREATE_VOLUME_PERMISSION' },
      responseElements: { requestId: rng.uuid(), _return: true },
    }),
  },
  {
    name: 'sts:GetFederationToken',
    shape: (_c, v, _o, time, rng) => ({
      service: 'sts', eventName: 'GetFederationToken', cli: 'sts.get-federation-token', readOnly: true,
      requestParameters: { name: `${v.userName.split('.')[0]}-tmp`, durationSeconds: 43200 },
      responseElements: { credentials: { accessKeyId: accessKeyId(rng, 'ASIA'), expiration: formatAwsDate(time + 43200) } },
    }),
  },
  {
    name: 'iam:CreateLoginProfile',
    shape: (_c, _v, o) => ({
      service: 'iam', eventName: 'CreateLoginProfile', cli: 'iam.create-login-profile', readOnly: false, global: true,
      requestParameters: { userName: o.userName, passwordResetRequired: false },
      responseElements: { loginProfile: { userName: o.userName, passwordResetRequired: false } },
    }),
  },
  {
    name: 'iam:CreateAccessKey',
    shape: (_c, _v, o, time, rng) => ({
      service: 'iam', eventName: 'CreateAccessKey', cli: 'iam.create-access-key', readOnly: false, global: true,
      requestParameters: { userName: o.userName },
      responseElements: { accessKey: { userName: o.userName, accessKeyId: accessKeyId(rng, 'AKIA'), status: 'Active', createDate: formatAwsDate(time) } },
    }),
  },
  {
    name: 'ssm:StartSession',
    shape: (c, _v, _o, _t, rng) => ({
      service: 'ssm', eventName: 'StartSession', cli: 'ssm.start-session', readOnly: false,
      requestParameters: { target: c.org.resources.get(c.org.accountId)!.instances[0] },
      responseElements: { sessionId: `session-${rng.hex(17)}` },
    }),
  },
  {
    name: 'secretsmanager:BatchGetSecretValue',
    shape: (c) => ({
      service: 'secretsmanager', eventName: 'BatchGetSecretValue', cli: 'secretsmanager.batch-get-secret-value', readOnly: true,
      requestParameters: { secretIdList: [...c.org.resources.get(c.org.accountId)!.secrets] },
      responseElements: null,
    }),
  },
  {
    name: 'kms:ScheduleKeyDeletion',
    shape: (c) => ({
      service: 'kms', eventName: 'ScheduleKeyDeletion', cli: 'kms.schedule-key-deletion', readOnly: false,
      requestParameters: { keyId: c.org.resources.get(c.org.accountId)!.kmsKeys[0], pendingWindowInDays: 7 },
      responseElements: null,
    }),
  },
];

function firstSensitiveAction(ctx: SourceContext, v: Victim, k: number, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const q = personOn(ctx.seed, ctx.realism, v.p, v.day, ctx.officeIps);
  const call = SENSITIVE_CALLS[k % SENSITIVE_CALLS.length];
  const other = ctx.org.people.find((x) => x.access === 'iam-user' && x.index !== v.p.index)!;
  const t = v.pd.startUtc + hour + rng.int(3 * hour);
  const tracker = new Tracker('first_sensitive_action', v.p.userArn, `${v.p.userName} performs ${call.name} for the first time, from their usual place and client`, ['first_time_sensitive_action'], report);
  const actor = sessionActor(() => iamUserWithAccessKey(v.p, ctx.org.accountId), ctx.org.accountId, v.pd.ip, q, 'cli');
  return [tracker.track({ t, build: (em: Emission, time: number) => callRecord(em, time, actor, call.shape(ctx, v.p, other, time, rng), ctx.org.primaryRegion) })];
}

function passwordSpray(ctx: SourceContext, v: Victim, c: Choice, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const country = c.country;
  const ip = randomIpv4In(rng, rng.pick(ATTACK_NETWORKS[country]));
  const ua = c.attackerUa;
  const attempts = rng.range(8, 14);
  const tracker = new Tracker('password_spray', v.p.userArn, `${attempts} wrong passwords for ${v.p.userName} from ${country} within minutes; none succeeds`, ['failed_login_burst'], report);
  const plans: Plan[] = [];
  let t = localTime(v, 14 + rng.int(4));
  for (let i = 0; i < attempts; i++) {
    t += rng.range(10, 40);
    plans.push(signInPlan(tracker, ctx, v, t, ip, ua, false, false));
  }
  return plans;
}

function bruteForceLogin(ctx: SourceContext, v: Victim, c: Choice, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const country = c.country;
  const ip = randomIpv4In(rng, rng.pick(ATTACK_NETWORKS[country]));
  const ua = c.attackerUa;
  const failures = rng.range(6, 9);
  const tracker = new Tracker(
    'brute_force_login',
    v.p.userArn,
    `${failures} wrong passwords for ${v.p.userName} from ${country}, then a sign-in without MFA and a look around`,
    ['failed_login_burst', 'brute_force_success', 'console_login_without_mfa', 'unfamiliar_country', 'unfamiliar_device'],
    report,
  );
  const plans: Plan[] = [];
  let t = localTime(v, 11 + rng.int(4));
  for (let i = 0; i < failures; i++) {
    t += rng.range(8, 30);
    plans.push(signInPlan(tracker, ctx, v, t, ip, ua, false, false));
  }
  t += rng.range(8, 30);
  plans.push(signInPlan(tracker, ctx, v, t, ip, ua, true, false));
  const actor = consoleActor(ctx, v, ip, ua, t, rng);
  plans.push(...reads(tracker, actor, t + 15, rng.range(3, 6), 30, 90, CONSOLE_READS, rng).plans);
  return plans;
}

function sessionHijackAbroad(ctx: SourceContext, v: Victim, c: Choice, rng: Prng, report: (i: SeededIncident) => void): Plan[] {
  const country = c.country;
  const ip = randomIpv4In(rng, rng.pick(ATTACK_NETWORKS[country]));
  const q = personOn(ctx.seed, ctx.realism, v.p, v.day, ctx.officeIps);
  const t = v.pd.startUtc + hour + rng.int(3 * hour);
  const tracker = new Tracker(
    'session_hijack_abroad',
    v.p.userArn,
    `${v.p.userName}'s console session cookie is replayed from ${country} while they keep working at home`,
    ['impossible_travel', 'shared_account_suspected', 'unfamiliar_country'],
    report,
  );
  // the victim at work, then the stolen session abroad a few minutes later, then the victim again
  const victimActor = consoleActor(ctx, v, v.pd.ip, q.browserUa, t, rng);
  const thief: Actor = { ...victimActor, ip };
  const plans: Plan[] = [];
  plans.push(...reads(tracker, victimActor, t, 2, 20, 60, CONSOLE_READS, rng).plans);
  const stolen = reads(tracker, thief, t + 180, rng.range(4, 8), 30, 90, CONSOLE_READS, rng);
  plans.push(...stolen.plans);
  plans.push(...reads(tracker, victimActor, stolen.end + 60, 2, 20, 60, CONSOLE_READS, rng).plans);
  return plans;
}
