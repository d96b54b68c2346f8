import { type AccessClass, type ApiAction, SERVICES, apiAction, pickAction } from './api-calls.js';
import {
  assumedRole,
  awsService,
  iamUserConsoleSession,
  iamUserFailedSignIn,
  iamUserSignIn,
  iamUserWithAccessKey,
  lambdaSession,
  ssoSession,
} from './identities.js';
import { AWS_NETWORKS, randomIpv4In } from './networks.js';
import { type Group, type Organisation, type Person, accessKeyId, ssoRoleFor } from './organisation.js';
import { Prng } from './prng.js';
import {
  type Actor,
  type CallShape,
  type Channel,
  type Emission,
  callRecord,
  consoleLoginRecord,
  sessionToken,
  userAgentFor,
} from './record-builder.js';
import { type RealismOptions, personOn, tripOn } from './realism.js';
import { SECONDS_PER_DAY, formatAwsDateWithComma, isWeekend } from './time.js';
import type { CloudTrailRecord } from './workload.types.js';

/**
 * Activity planning. Each source (a person's console, CLI or role channel, the CI user, the
 * Lambda function, CloudTrail itself, the seeded incidents) is a lazy generator of plans in
 * non-decreasing event time, so the whole workload is a k-way merge that never holds more
 * than one pending plan per source. Each (source, day) draws from its own PRNG, so a day's
 * activity does not depend on where the requested range starts.
 */
export interface PlannedCall {
  readonly actor: Actor;
  readonly action: ApiAction;
  readonly denied: boolean;
  readonly region: string;
}

export interface IncidentTracker {
  onEventId(eventId: string, eventTime: string): void;
}

export interface Plan {
  readonly t: number;
  readonly call?: PlannedCall;
  readonly build?: (em: Emission, t: number) => CloudTrailRecord;
  readonly incident?: IncidentTracker;
}

export interface SourceContext {
  readonly seed: string;
  readonly org: Organisation;
  readonly start: number;
  readonly end: number;
  readonly eventsPerDay: number;
  readonly incidentEveryDays: number;
  readonly realism: RealismOptions;
  /** Office city → the office's public address. */
  readonly officeIps: ReadonlyMap<string, string>;
  /** Baseline-detector evaluation incidents: from which day of the range, how often. */
  readonly baselineIncidents: { readonly fromDay: number; readonly everyDays: number } | null;
}

export type Persona = Group | 'ci';

/** Local calendar days (numbered from the epoch) that overlap [start, end). */
function* localDays(ctx: SourceContext, offsetMinutes: number): Generator<number> {
  const off = offsetMinutes * 60;
  for (let day = Math.floor((ctx.start + off) / SECONDS_PER_DAY) - 1; ; day++) {
    if (day * SECONDS_PER_DAY - off >= ctx.end) return;
    yield day;
  }
}

export interface PersonDay {
  works: boolean;
  ip: string;
  startUtc: number;
  endUtc: number;
  volume: number;
  ssoAccount: string;
  /** Where the person is (a trip or holiday changes it) and the UTC offset of their hours. */
  country: string;
  utcOffsetMinutes: number;
  traveling: boolean;
}

/** One person's day: shared by all their channels so console and CLI agree on IP and hours. */
export function personDay(ctx: SourceContext, p: Person, day: number): PersonDay {
  const rng = new Prng(ctx.seed, 'person-day', p.index, day);
  const dayStartUtc = day * SECONDS_PER_DAY - p.location.utcOffsetMinutes * 60;
  const weekend = isWeekend(day);
  const works = weekend ? rng.chance(0.05) : rng.chance(0.93);
  const inOffice = !weekend && p.officeIp !== null && rng.chance(0.65);
  const ip = inOffice ? p.officeIp! : p.homeIpv6 !== null && rng.chance(0.7) ? p.homeIpv6 : p.homeIp;
  let startMin: number;
  let endMin: number;
  let volume: number;
  if (weekend) {
    // a look at something on a weekend day, in the daytime
    startMin = rng.range(10 * 60, 16 * 60);
    endMin = startMin + rng.range(30, 120);
    volume = 0.12;
  } else {
    startMin = p.workStartMinute + rng.range(-25, 35);
    endMin = p.workEndMinute + rng.range(-40, 70);
    volume = rng.bell(0.6, 1.4);
  }
  const pd: PersonDay = {
    works,
    ip,
    startUtc: dayStartUtc + startMin * 60,
    endUtc: dayStartUtc + endMin * 60,
    volume: volume * p.activity,
    ssoAccount: rng.chance(0.6) ? ctx.org.secondAccountId : ctx.org.accountId,
    country: p.location.country,
    utcOffsetMinutes: p.location.utcOffsetMinutes,
    traveling: false,
  };
  const trip = tripOn(ctx.seed, ctx.realism, p, day, ctx.officeIps);
  if (trip === null) return pd;
  // the same hours of the day, in the local time of where the person is
  const shift = (trip.utcOffsetMinutes - p.location.utcOffsetMinutes) * 60;
  const out: PersonDay = { ...pd, works: trip.works, ip: trip.ip, startUtc: pd.startUtc - shift, endUtc: pd.endUtc - shift, country: trip.country, utcOffsetMinutes: trip.utcOffsetMinutes, traveling: true };
  if (trip.shortSession) {
    out.startUtc = day * SECONDS_PER_DAY - trip.utcOffsetMinutes * 60 + (10 * 60 + (p.index % 5) * 45) * 60;
    out.endUtc = out.startUtc + 40 * 60;
    out.volume = 0.1 * p.activity;
  }
  return out;
}

/**
 * Times of `n` calls made in bursts (a person looks at something, then goes quiet), with
 * fewer bursts over lunch. Returns the times and, per time, its burst index.
 */
function burstSchedule(
  rng: Prng,
  from: number,
  to: number,
  n: number,
  meanBurst: number,
  gapMin: number,
  gapMax: number,
  lunch: readonly [number, number] | null,
): { times: number[]; burst: number[]; bursts: number } {
  const times: number[] = [];
  const burst: number[] = [];
  if (n <= 0 || to <= from) return { times, burst, bursts: 0 };
  const k = Math.max(1, Math.round(n / meanBurst));
  const starts: number[] = [];
  for (let i = 0; i < k; i++) {
    let s = from + rng.int(to - from);
    for (let tries = 0; lunch && s >= lunch[0] && s < lunch[1] && tries < 3 && rng.chance(0.7); tries++) s = from + rng.int(to - from);
    starts.push(s);
  }
  starts.sort((a, b) => a - b);
  const weights = starts.map(() => rng.bell(0.2, 1.8));
  const total = weights.reduce((a, b) => a + b, 0);
  // Keep a busy day inside its window by shrinking the gaps between calls.
  const scale = Math.min(1, ((to - from) * 0.6) / (n * ((gapMin + gapMax) / 2) + 1));
  let last = from;
  for (let b = 0; b < k; b++) {
    const size = Math.max(1, Math.round((n * weights[b]) / total));
    let t = Math.max(starts[b], last);
    for (let i = 0; i < size; i++) {
      times.push(t);
      burst.push(b);
      t += Math.floor(rng.range(gapMin, gapMax) * scale);
    }
    last = t;
  }
  return { times, burst, bursts: k };
}

const CLASS_WEIGHTS: Record<Persona, readonly (readonly [AccessClass, number])[]> = {
  readonly: [['read', 97], ['write', 3]],
  developers: [['read', 80], ['write', 18.5], ['iam-write', 1.5]],
  ops: [['read', 76], ['write', 22], ['iam-write', 2]],
  admins: [['read', 78], ['write', 17], ['iam-write', 5]],
  ci: [['read', 80], ['write', 19], ['iam-write', 1]],
};

const FOCUS_WEIGHTS: readonly (readonly [string, number])[] = [
  ['ec2', 6], ['s3', 7], ['iam', 3], ['logs', 4], ['lambda', 3], ['kms', 2], ['sts', 1], ['cloudtrail', 1], ['secretsmanager', 1],
];

/** Readonly users who try to change things and people missing one permission get AccessDenied. */
export function pickCall(rng: Prng, persona: Persona, focus: string | null): { action: ApiAction; denied: boolean } {
  const cls = rng.weighted(CLASS_WEIGHTS[persona]);
  const action = pickAction(rng, cls, focus);
  const denied =
    (cls === 'write' && persona === 'readonly') || (cls === 'iam-write' && persona !== 'admins' && persona !== 'ci') || rng.chance(0.006);
  return { action, denied };
}

function pickFocus(rng: Prng): string {
  const f = rng.weighted(FOCUS_WEIGHTS);
  return (SERVICES as readonly string[]).includes(f) ? f : 'ec2';
}

function personRegion(rng: Prng, org: Organisation, p: Person): string {
  return rng.chance(0.75) ? org.primaryRegion : p.localRegion;
}

function clientChannel(rng: Prng, p: Person): Channel {
  if (p.usesTerraform && rng.chance(0.25)) return 'terraform';
  return rng.chance(0.2) ? 'sdk' : 'cli';
}

const personaOf = (p: Person): Persona => p.group;
const lunchOf = (pd: PersonDay, day: number): readonly [number, number] => {
  const base = day * SECONDS_PER_DAY - pd.utcOffsetMinutes * 60;
  return [base + 12 * 3600, base + 13 * 3600 + 1800];
};

interface ChannelShares {
  console: number;
  cli: number;
  role: number;
}

function shares(p: Person): ChannelShares {
  if (p.access === 'sso') return { console: 0.5, cli: 0.5, role: 0 };
  if (p.roleAccess) return { console: 0.35, cli: 0.4, role: 0.25 };
  return { console: 0.45, cli: 0.55, role: 0 };
}

// ---------------------------------------------------------------- people: console

export function* consoleChannel(ctx: SourceContext, p: Person): Generator<Plan> {
  const { org } = ctx;
  for (const day of localDays(ctx, p.location.utcOffsetMinutes)) {
    const pd = personDay(ctx, p, day);
    if (!pd.works) continue;
    const q = personOn(ctx.seed, ctx.realism, p, day, ctx.officeIps);
    const rng = new Prng(ctx.seed, 'console', p.index, day);
    const n = Math.round(ctx.eventsPerDay * pd.volume * shares(p).console);
    const login = pd.startUtc + rng.int(900);
    const accountId = p.access === 'sso' ? pd.ssoAccount : org.accountId;

    if (p.access === 'iam-user' && rng.chance(0.12)) {
      // A mistyped password shortly before the successful sign-in.
      const failures = rng.chance(0.25) ? 2 : 1;
      let at = login - rng.range(25, 120);
      for (let f = 0; f < failures; f++, at += rng.range(4, 12)) {
        yield {
          t: at,
          build: (em, t) =>
            consoleLoginRecord(em, t, {
              identity: iamUserFailedSignIn(p, org.accountId),
              accountId: org.accountId,
              ip: pd.ip,
              userAgent: q.browserUa,
              success: false,
              mfaUsed: false,
              loginTo: true,
            }),
        };
      }
    }

    const sessions: { at: number; actor: Actor }[] = [];
    const newSession = (at: number): Plan => {
      const key = accessKeyId(rng, 'ASIA');
      let actor: Actor;
      let signIn: Parameters<typeof consoleLoginRecord>[2];
      if (p.access === 'sso') {
        const role = ssoRoleFor(org, p, accountId);
        actor = sessionActor(() => assumedRole(ssoSession(role, p, at, key)), accountId, pd.ip, q, 'console');
        signIn = { identity: assumedRole(ssoSession(role, p, at, null)), accountId, ip: pd.ip, userAgent: q.browserUa, success: true, mfaUsed: false, loginTo: false };
      } else {
        actor = sessionActor(() => iamUserConsoleSession(p, org.accountId, key, at, true), org.accountId, pd.ip, q, 'console');
        signIn = {
          identity: iamUserSignIn(p, org.accountId),
          accountId: org.accountId,
          ip: pd.ip,
          userAgent: q.browserUa,
          success: true,
          mfaUsed: true,
          mfaIdentifier: p.mfaSerial,
          loginTo: true,
        };
      }
      sessions.push({ at, actor });
      return { t: at, build: (em, t) => consoleLoginRecord(em, t, signIn) };
    };

    yield newSession(login);
    const { times, burst, bursts } = burstSchedule(rng, login + 5, pd.endUtc, n, 7, 2, 45, lunchOf(pd, day));
    const focus = Array.from({ length: bursts }, () => pickFocus(rng));
    // Some people sign in again after lunch (new tab, expired session, other laptop).
    const relogin = rng.chance(0.2) ? lunchOf(pd, day)[1] + rng.int(1800) : Infinity;
    let region = personRegion(rng, org, p);
    for (let i = 0; i < times.length; i++) {
      if (times[i] >= relogin && sessions.length === 1) yield newSession(relogin);
      if (i > 0 && burst[i] !== burst[i - 1]) region = personRegion(rng, org, p);
      const { action, denied } = pickCall(rng, personaOf(p), focus[burst[i]]);
      yield { t: times[i], call: { actor: sessions[sessions.length - 1].actor, action, denied, region } };
    }
  }
}

export function sessionActor(identity: Actor['identity'], accountId: string, ip: string, p: Person, channel: Channel): Actor {
  const id = identity();
  return {
    identity,
    accountId,
    ip,
    name: id.type === 'AssumedRole' ? id.arn!.split('/').pop()! : p.userName,
    arn: id.arn!,
    channel,
    tools: p.tools,
    browserUa: p.browserUa,
    canWriteLarge: p.group !== 'readonly',
    compactJson: channel !== 'console' && channel !== 'cli',
  };
}

// ---------------------------------------------------------------- people: CLI / SDK

export function* cliChannel(ctx: SourceContext, p: Person): Generator<Plan> {
  const { org } = ctx;
  for (const day of localDays(ctx, p.location.utcOffsetMinutes)) {
    const pd = personDay(ctx, p, day);
    if (!pd.works) continue;
    const q = personOn(ctx.seed, ctx.realism, p, day, ctx.officeIps);
    const rng = new Prng(ctx.seed, 'cli', p.index, day);
    const n = Math.round(ctx.eventsPerDay * pd.volume * shares(p).cli);
    const from = pd.startUtc + rng.range(300, 2400);
    const { times, burst, bursts } = burstSchedule(rng, from, pd.endUtc, n, 12, 0, 6, lunchOf(pd, day));
    const channels = Array.from({ length: bursts }, () => clientChannel(rng, p));
    const focus = Array.from({ length: bursts }, () => pickFocus(rng));
    const regions = Array.from({ length: bursts }, () => personRegion(rng, org, p));
    let actors: Actor[];
    if (p.access === 'sso') {
      // `aws sso login` once in the morning; GetRoleCredentials is logged in the IdC account, not here.
      const role = ssoRoleFor(org, p, pd.ssoAccount);
      const key = accessKeyId(rng, 'ASIA');
      const created = from - rng.range(5, 90);
      actors = channels.map((ch) => sessionActor(() => assumedRole(ssoSession(role, p, created, key)), pd.ssoAccount, pd.ip, q, ch));
    } else {
      actors = channels.map((ch) => sessionActor(() => iamUserWithAccessKey(p, org.accountId), org.accountId, pd.ip, q, ch));
    }
    for (let i = 0; i < times.length; i++) {
      const b = burst[i];
      const { action, denied } = pickCall(rng, personaOf(p), focus[b]);
      yield { t: times[i], call: { actor: actors[b], action, denied, region: regions[b] } };
    }
  }
}

// ---------------------------------------------------------------- people: AssumeRole into the second account

const ROLE_PERSONA: Record<string, Persona> = { 'ops-admin': 'admins', developer: 'developers', support: 'ops' };

export function* roleChannel(ctx: SourceContext, p: Person): Generator<Plan> {
  const { org } = ctx;
  const access = p.roleAccess;
  if (!access) return;
  const role = access.role;
  for (const day of localDays(ctx, p.location.utcOffsetMinutes)) {
    const pd = personDay(ctx, p, day);
    if (!pd.works) continue;
    const q = personOn(ctx.seed, ctx.realism, p, day, ctx.officeIps);
    const rng = new Prng(ctx.seed, 'role', p.index, day);
    const n = Math.round(ctx.eventsPerDay * pd.volume * shares(p).role);
    const sessionCount = Math.min(3, Math.max(1, Math.round(n / 15)));
    const span = Math.max(1, pd.endUtc - pd.startUtc - 3600);
    const starts = Array.from({ length: sessionCount }, () => pd.startUtc + 600 + rng.int(span)).sort((a, b) => a - b);
    let last = 0;
    for (let s = 0; s < sessionCount; s++) {
      const at = Math.max(starts[s], last + 1);
      const key = accessKeyId(rng, 'ASIA');
      const channel = clientChannel(rng, p);
      const focus = pickFocus(rng);
      const region = org.primaryRegion;
      const first = pickCall(rng, ROLE_PERSONA[role.name], focus);
      const session = {
        accountId: org.secondAccountId,
        roleName: role.name,
        roleArn: role.arn,
        roleId: role.roleId,
        sessionName: p.userName,
        created: at,
        mfa: role.requiresMfa,
        sourceIdentity: access.setsSourceIdentity ? p.userName : null,
        accessKeyId: key,
      };
      const caller = sessionActor(() => iamUserWithAccessKey(p, org.accountId), org.accountId, pd.ip, q, channel);
      yield { t: at, build: (em, t) => assumeRoleRecord(em, t, caller, session, first.action.cli, p.mfaSerial) };
      const actor = sessionActor(() => assumedRole(session), org.secondAccountId, pd.ip, q, channel);
      const per = Math.max(1, Math.round(n / sessionCount));
      const { times } = burstSchedule(rng, at + 2, at + 3300, per, 10, 0, 8, null);
      for (let i = 0; i < times.length; i++) {
        const call = i === 0 ? first : pickCall(rng, ROLE_PERSONA[role.name], focus);
        yield { t: times[i], call: { actor, action: call.action, denied: call.denied, region } };
        last = times[i];
      }
    }
  }
}

function assumeRoleRecord(
  em: Emission,
  t: number,
  caller: Actor,
  s: { accountId: string; roleName: string; roleArn: string; roleId: string; sessionName: string; mfa: boolean; sourceIdentity: string | null; accessKeyId: string },
  cliCommand: string,
  mfaSerial: string,
): CloudTrailRecord {
  const requestParameters: Record<string, unknown> = { roleArn: s.roleArn, roleSessionName: s.sessionName, durationSeconds: 3600 };
  if (s.mfa) requestParameters.serialNumber = mfaSerial;
  if (s.sourceIdentity !== null) requestParameters.sourceIdentity = s.sourceIdentity;
  const responseElements: Record<string, unknown> = {
    credentials: { accessKeyId: s.accessKeyId, sessionToken: sessionToken(em.rng), expiration: formatAwsDateWithComma(t + 3600) },
    assumedRoleUser: { assumedRoleId: `${s.roleId}:${s.sessionName}`, arn: `arn:aws:sts::${s.accountId}:assumed-role/${s.roleName}/${s.sessionName}` },
  };
  if (s.sourceIdentity !== null) responseElements.sourceIdentity = s.sourceIdentity;
  const shape: CallShape = {
    service: 'sts',
    eventName: 'AssumeRole',
    cli: cliCommand,
    readOnly: true,
    requestParameters,
    responseElements,
    resources: [{ accountId: s.accountId, type: 'AWS::IAM::Role', ARN: s.roleArn }],
  };
  // The CLI assumes the profile's role on the first command it runs, under that command's UA.
  return callRecord(em, t, caller, shape, em.org.primaryRegion, { userAgent: userAgentFor(caller, { service: 'sts', cli: cliCommand }) });
}

// ---------------------------------------------------------------- CI

function ciActor(org: Organisation, channel: Channel): Actor {
  return {
    identity: () => iamUserWithAccessKey(org.ci, org.accountId),
    accountId: org.accountId,
    ip: org.ci.ip,
    name: org.ci.userName,
    arn: org.ci.userArn,
    channel,
    tools: { os: 'linux', cliVersion: '2.31.12', botoVersion: '1.40.61' },
    canWriteLarge: true,
    compactJson: true,
  };
}

const TF_REFRESH: readonly (readonly [string, string, number])[] = [
  ['iam', 'GetRole', 5], ['iam', 'GetPolicy', 3], ['iam', 'GetPolicyVersion', 3], ['ec2', 'DescribeInstances', 3],
  ['ec2', 'DescribeSecurityGroups', 3], ['ec2', 'DescribeVpcs', 2], ['ec2', 'DescribeSubnets', 2], ['lambda', 'GetFunction20150331v2', 3],
  ['logs', 'DescribeLogGroups', 2], ['kms', 'DescribeKey', 2], ['s3', 'GetBucketPolicy', 2], ['s3', 'GetBucketLocation', 1],
];
const TF_APPLY: readonly (readonly [string, string, number])[] = [
  ['lambda', 'UpdateFunctionCode20150331v2', 3], ['lambda', 'UpdateFunctionConfiguration20150331v2', 1], ['ec2', 'CreateTags', 2],
  ['logs', 'PutRetentionPolicy', 1], ['iam', 'AttachRolePolicy', 0.5],
];

function tfStateAction(service: 'GetObject' | 'PutObject', acct: string): ApiAction {
  const base = apiAction('s3', service);
  const bucket = `acme-terraform-state-${acct}`;
  return { ...base, request: (c) => ({ bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com`, key: 'env/prod/app/terraform.tfstate' }) };
}

export function* ciSource(ctx: SourceContext): Generator<Plan> {
  const { org } = ctx;
  const tf = ciActor(org, 'terraform');
  const cli = ciActor(org, 'cli');
  const stateGet = tfStateAction('GetObject', org.accountId);
  const statePut = tfStateAction('PutObject', org.accountId);
  const region = org.primaryRegion;
  for (const day of localDays(ctx, 0)) {
    const rng = new Prng(ctx.seed, 'ci', day);
    const dayStart = day * SECONDS_PER_DAY;
    const runStarts = [dayStart + 2 * 3600 + rng.int(600)];
    if (!isWeekend(day)) {
      const runs = Math.max(1, Math.round(((ctx.eventsPerDay * 3) / 45) * rng.bell(0.7, 1.3)));
      for (let i = 0; i < runs; i++) runStarts.push(dayStart + 6 * 3600 + rng.int(14 * 3600));
    }
    runStarts.sort((a, b) => a - b);
    let t = 0;
    for (const start of runStarts) {
      t = Math.max(t, start);
      const step = (): number => (t += rng.range(0, 2));
      const call = (actor: Actor, action: ApiAction): Plan => ({ t: step(), call: { actor, action, denied: false, region } });
      yield call(tf, apiAction('sts', 'GetCallerIdentity'));
      yield call(tf, stateGet);
      const refresh = rng.range(20, 50);
      for (let i = 0; i < refresh; i++) {
        const [svc, name] = rng.weighted(TF_REFRESH.map((x) => [x, x[2]] as const));
        yield call(tf, apiAction(svc, name));
      }
      if (rng.chance(0.55)) {
        yield call(cli, apiAction('s3', 'PutObject'));
        const writes = rng.range(1, 6);
        for (let i = 0; i < writes; i++) {
          const [svc, name] = rng.weighted(TF_APPLY.map((x) => [x, x[2]] as const));
          yield call(tf, apiAction(svc, name));
        }
        yield call(tf, statePut);
      }
    }
  }
}

// ---------------------------------------------------------------- Lambda execution role

const LAMBDA_CALLS: readonly (readonly [readonly [string, string], number])[] = [
  [['kms', 'Decrypt'], 4], [['s3', 'GetObject'], 3], [['s3', 'PutObject'], 2], [['secretsmanager', 'GetSecretValue'], 1],
];

export function* lambdaSource(ctx: SourceContext): Generator<Plan> {
  const { org } = ctx;
  let env: { actor: Actor; refreshAt: number } | null = null;
  for (const day of localDays(ctx, 0)) {
    const rng = new Prng(ctx.seed, 'lambda', day);
    const dayStart = day * SECONDS_PER_DAY;
    const n = Math.round(ctx.eventsPerDay * 5 * (isWeekend(day) ? 0.6 : 1) * rng.bell(0.85, 1.15));
    const times: number[] = [];
    while (times.length < n) {
      const t = dayStart + rng.int(SECONDS_PER_DAY);
      const hour = Math.floor((t - dayStart) / 3600);
      // Order traffic follows European and US daytime.
      if (rng.float() < (hour >= 7 && hour < 22 ? 1 : 0.35)) times.push(t);
    }
    times.sort((a, b) => a - b);
    for (const t of times) {
      if (env === null || t >= env.refreshAt) {
        // A new execution environment: Lambda assumes the role and the calls come from a new IP.
        const key = accessKeyId(rng, 'ASIA');
        const ip = randomIpv4In(rng, rng.pick(AWS_NETWORKS.euWest1));
        const created = t - rng.range(1, 3);
        const actor: Actor = {
          identity: () => assumedRole(lambdaSession(org, created, key)),
          accountId: org.accountId,
          ip,
          name: org.lambda.functionName,
          arn: `arn:aws:sts::${org.accountId}:assumed-role/${org.lambda.roleName}/${org.lambda.functionName}`,
          channel: 'lambda',
          canWriteLarge: false,
        };
        env = { actor, refreshAt: t + rng.range(2 * 3600, 5 * 3600) };
        yield { t: created, build: (em, at) => lambdaAssumeRoleRecord(em, at, key) };
      }
      const [svc, name] = rng.weighted(LAMBDA_CALLS);
      yield { t, call: { actor: env.actor, action: apiAction(svc, name), denied: false, region: org.primaryRegion } };
    }
  }
}

function serviceActor(org: Organisation, service: string): Actor {
  return { identity: () => awsService(service), accountId: org.accountId, ip: service, name: service, arn: service, channel: 'sdk', canWriteLarge: false };
}

function lambdaAssumeRoleRecord(em: Emission, t: number, key: string): CloudTrailRecord {
  const { org } = em;
  const shape: CallShape = {
    service: 'sts',
    eventName: 'AssumeRole',
    cli: '',
    readOnly: true,
    requestParameters: { roleArn: org.lambda.roleArn, roleSessionName: org.lambda.functionName },
    responseElements: { credentials: { accessKeyId: key, sessionToken: sessionToken(em.rng), expiration: formatAwsDateWithComma(t + 12 * 3600) } },
    resources: [{ accountId: org.accountId, type: 'AWS::IAM::Role', ARN: org.lambda.roleArn }],
  };
  const s = 'lambda.amazonaws.com';
  return callRecord(em, t, serviceActor(org, s), shape, org.primaryRegion, { sourceIPAddress: s, userAgent: s, sharedEventID: true, noTls: true });
}

// ---------------------------------------------------------------- CloudTrail checking its bucket

export function* cloudtrailSource(ctx: SourceContext): Generator<Plan> {
  const { org } = ctx;
  const s = 'cloudtrail.amazonaws.com';
  const actor = serviceActor(org, s);
  const bucket = org.trail.bucket;
  for (const day of localDays(ctx, 0)) {
    const rng = new Prng(ctx.seed, 'cloudtrail', day);
    const dayEnd = (day + 1) * SECONDS_PER_DAY;
    for (let t = day * SECONDS_PER_DAY + rng.int(600); t < dayEnd; t += rng.range(600, 1800)) {
      yield {
        t,
        build: (em, at) =>
          callRecord(
            em,
            at,
            actor,
            {
              service: 's3',
              eventName: 'GetBucketAcl',
              cli: '',
              readOnly: true,
              requestParameters: { bucketName: bucket, Host: `${bucket}.s3.${org.primaryRegion}.amazonaws.com`, acl: '' },
              responseElements: null,
              resources: [{ accountId: org.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
            },
            org.primaryRegion,
            { sourceIPAddress: s, userAgent: s, sharedEventID: true, noTls: true },
          ),
      };
    }
  }
}
