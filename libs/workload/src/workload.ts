import { type Plan, type PlannedCall, type SourceContext, ciSource, cliChannel, cloudtrailSource, consoleChannel, lambdaSource, roleChannel } from './activity.js';
import { baselineIncidentSource } from './baseline-incidents.js';
import { incidentSource } from './incidents.js';
import { type LargeCall, hugeTaskDefinition, largePolicyWrite } from './large-payloads.js';
import { MinHeap } from './min-heap.js';
import { MIN_PEOPLE, type Organisation, buildOrganisation, describeSubjects } from './organisation.js';
import { Prng } from './prng.js';
import type { RealismOptions } from './realism.js';
import { type CallShape, Emission, type RecordOverrides, callContext, callRecord, evaluateAction } from './record-builder.js';
import { SECONDS_PER_DAY, toEpochSeconds } from './time.js';
import type {
  CloudTrailRecord,
  GeneratedWorkload,
  SeededIncident,
  StreamWorkloadOptions,
  WorkloadOptions,
  WorkloadSubject,
} from './workload.types.js';

export const WORKLOAD_DEFAULTS = {
  seed: 42,
  subjects: 32,
  start: '2026-11-02T00:00:00Z',
  accountId: '111122223333',
  secondAccountId: '444455556666',
  eventsPerSubjectPerDay: 120,
  largeRecordRate: 0.04,
  hugeRecordEvery: 250_000,
  incidentEveryDays: 7,
} as const;

interface Resolved {
  seed: string;
  people: number;
  start: number;
  end: number;
  count: number;
  accountId: string;
  secondAccountId: string;
  eventsPerDay: number;
  largeRate: number;
  hugeEvery: number;
  incidentEveryDays: number;
  realism: RealismOptions;
  baselineIncidents: { fromDay: number; everyDays: number } | null;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

function resolve(o: StreamWorkloadOptions, boundedByDefault: boolean): Resolved {
  const start = toEpochSeconds(o.start ?? WORKLOAD_DEFAULTS.start, 'start');
  const end = o.end !== undefined ? toEpochSeconds(o.end, 'end') : boundedByDefault ? start + SECONDS_PER_DAY : Infinity;
  const r: Resolved = {
    // Numbers and their decimal strings are the same seed.
    seed: String(o.seed ?? WORKLOAD_DEFAULTS.seed),
    people: o.subjects ?? WORKLOAD_DEFAULTS.subjects,
    start,
    end,
    count: o.count ?? Infinity,
    accountId: o.accountId ?? WORKLOAD_DEFAULTS.accountId,
    secondAccountId: o.secondAccountId ?? WORKLOAD_DEFAULTS.secondAccountId,
    eventsPerDay: o.eventsPerSubjectPerDay ?? WORKLOAD_DEFAULTS.eventsPerSubjectPerDay,
    largeRate: o.largeRecordRate ?? WORKLOAD_DEFAULTS.largeRecordRate,
    hugeEvery: o.hugeRecordEvery ?? WORKLOAD_DEFAULTS.hugeRecordEvery,
    incidentEveryDays: o.incidentEveryDays ?? WORKLOAD_DEFAULTS.incidentEveryDays,
    realism: { travel: o.travel === true, deviceChanges: o.deviceChanges === true },
    baselineIncidents:
      o.baselineIncidents === undefined || o.baselineIncidents === false
        ? null
        : {
            fromDay: (o.baselineIncidents === true ? undefined : o.baselineIncidents.fromDay) ?? 16,
            everyDays: (o.baselineIncidents === true ? undefined : o.baselineIncidents.everyDays) ?? 2,
          },
  };
  check(Number.isInteger(r.people) && r.people >= MIN_PEOPLE, `subjects must be an integer >= ${MIN_PEOPLE}`);
  check(end > start, 'end must be after start');
  check(r.count === Infinity || (Number.isInteger(r.count) && r.count >= 0), 'count must be a non-negative integer');
  check(/^\d{12}$/.test(r.accountId) && /^\d{12}$/.test(r.secondAccountId), 'account ids are 12 digits');
  check(r.accountId !== r.secondAccountId, 'accountId and secondAccountId must differ');
  check(Number.isFinite(r.eventsPerDay) && r.eventsPerDay > 0, 'eventsPerSubjectPerDay must be > 0');
  check(r.largeRate >= 0 && r.largeRate <= 1, 'largeRecordRate must be within [0, 1]');
  check(Number.isInteger(r.hugeEvery) && r.hugeEvery >= 1, 'hugeRecordEvery must be an integer >= 1');
  check(Number.isInteger(r.incidentEveryDays) && r.incidentEveryDays >= 0, 'incidentEveryDays must be an integer >= 0');
  const bi = r.baselineIncidents;
  check(bi === null || (Number.isInteger(bi.fromDay) && bi.fromDay >= 0 && Number.isInteger(bi.everyDays) && bi.everyDays >= 1), 'baselineIncidents: fromDay >= 0 and everyDays >= 1, integers');
  return r;
}

/** Drops plans outside [start, end) and enforces per-source time order. */
function* bounded(source: Iterator<Plan>, start: number, end: number): Generator<Plan> {
  let last = -Infinity;
  for (let n = source.next(); !n.done; n = source.next()) {
    let plan = n.value;
    if (plan.t < last) plan = { ...plan, t: last };
    if (plan.t >= end) return;
    last = plan.t;
    if (plan.t >= start) yield plan;
  }
}

/**
 * Output order is simulated delivery order, not event-time order: most records arrive in
 * step, some a minute or a few minutes late, a few 15-45 minutes late (DESIGN 5.8).
 */
function deliveryLag(rng: Prng): number {
  const x = rng.float();
  if (x < 0.88) return 0;
  if (x < 0.97) return rng.range(1, 90);
  if (x < 0.996) return rng.range(120, 600);
  return rng.range(900, 2700);
}

interface Pending {
  plan: Plan;
  src: number;
  seq: number;
  iter: Iterator<Plan>;
}

interface Delivering {
  plan: Plan;
  delivery: number;
  order: number;
}

class Materializer {
  readonly em: Emission;
  private readonly hugeRng: Prng;
  private hugeBlock = 0;
  private nextHuge: number;

  constructor(
    private readonly r: Resolved,
    org: Organisation,
  ) {
    this.em = new Emission(r.seed, org);
    this.hugeRng = new Prng(r.seed, 'huge');
    this.nextHuge = this.hugeRng.int(r.hugeEvery);
  }

  record(plan: Plan, index: number): CloudTrailRecord {
    const em = this.em;
    em.index = index;
    const rec = plan.build ? plan.build(em, plan.t) : this.call(plan.t, plan.call!);
    plan.incident?.onEventId(rec.eventID, rec.eventTime);
    return rec;
  }

  private call(t: number, call: PlannedCall): CloudTrailRecord {
    const { em } = this;
    const { actor, action, denied, region } = call;
    const ctx = callContext(em, actor, region, t);
    let shape: CallShape | null = null;
    if (!denied && actor.canWriteLarge) {
      if (em.index >= this.nextHuge) {
        // One per block of `hugeEvery` records, at a seeded position in the block.
        this.hugeBlock++;
        this.nextHuge = this.hugeBlock * this.r.hugeEvery + this.hugeRng.int(this.r.hugeEvery);
        shape = fromLarge(hugeTaskDefinition(ctx));
      } else if (em.rng.chance(this.r.largeRate)) {
        shape = fromLarge(largePolicyWrite(ctx, !actor.compactJson));
      }
    }
    shape ??= evaluateAction(action, ctx, denied, actor.arn);
    let overrides: RecordOverrides | undefined;
    if (actor.channel === 'console' && shape.service !== 's3' && shape.service !== 'ec2' && em.rng.chance(0.015)) {
      // Console pages call some APIs from AWS's side; CloudTrail then names no IP at all.
      overrides = { sourceIPAddress: 'AWS Internal', userAgent: 'AWS Internal', noTls: true };
    }
    return callRecord(em, t, actor, shape, region, overrides);
  }
}

function fromLarge(l: LargeCall): CallShape {
  return {
    service: l.service,
    eventName: l.eventName,
    cli: l.cli,
    readOnly: l.readOnly,
    global: l.global,
    requestParameters: l.requestParameters,
    responseElements: l.responseElements,
    resources: l.resources,
  };
}

function* run(r: Resolved, org: Organisation, onIncident: (i: SeededIncident) => void): Generator<CloudTrailRecord> {
  if (r.count === 0) return;
  const officeIps = new Map(org.people.filter((p) => p.officeIp !== null).map((p) => [p.location.city, p.officeIp!] as const));
  const ctx: SourceContext = {
    seed: r.seed,
    org,
    start: r.start,
    end: r.end,
    eventsPerDay: r.eventsPerDay,
    incidentEveryDays: r.incidentEveryDays,
    realism: r.realism,
    officeIps,
    baselineIncidents: r.baselineIncidents,
  };
  const sources: Iterator<Plan>[] = [];
  for (const p of org.people) {
    sources.push(consoleChannel(ctx, p), cliChannel(ctx, p));
    if (p.roleAccess) sources.push(roleChannel(ctx, p));
  }
  sources.push(ciSource(ctx), lambdaSource(ctx), cloudtrailSource(ctx), incidentSource(ctx, onIncident));
  if (r.baselineIncidents !== null) sources.push(baselineIncidentSource(ctx, onIncident));

  const merge = new MinHeap<Pending>((a, b) => a.plan.t < b.plan.t || (a.plan.t === b.plan.t && (a.src < b.src || (a.src === b.src && a.seq < b.seq))));
  const refill = (iter: Iterator<Plan>, src: number, seq: number): void => {
    const n = iter.next();
    if (!n.done) merge.push({ plan: n.value, src, seq, iter });
  };
  sources.forEach((s, i) => refill(bounded(s, r.start, r.end), i, 0));

  const delivering = new MinHeap<Delivering>(
    (a, b) => a.delivery < b.delivery || (a.delivery === b.delivery && (a.plan.t < b.plan.t || (a.plan.t === b.plan.t && a.order < b.order))),
  );
  const lagRng = new Prng(r.seed, 'delivery');
  const materializer = new Materializer(r, org);
  let order = 0;
  let emitted = 0;
  for (;;) {
    const next = merge.pop();
    if (next) {
      refill(next.iter, next.src, next.seq + 1);
      delivering.push({ plan: next.plan, delivery: next.plan.t + deliveryLag(lagRng), order: order++ });
    }
    // Every later plan has t >= next.plan.t and so a delivery time >= it: earlier deliveries are final.
    const horizon = next ? next.plan.t : Infinity;
    while (delivering.size > 0 && delivering.peek()!.delivery <= horizon) {
      yield materializer.record(delivering.pop()!.plan, emitted);
      if (++emitted >= r.count) return;
    }
    if (!next) return;
  }
}

/**
 * The demo workload: one realistic day (by default) of CloudTrail records in delivery order,
 * the incidents seeded in it, and the organisation's subjects.
 */
export function generateWorkload(options: WorkloadOptions = {}): GeneratedWorkload {
  const r = resolve(options, true);
  const org = buildOrganisation(r.seed, r.people, r.accountId, r.secondAccountId);
  const incidents: SeededIncident[] = [];
  const records = Array.from(run(r, org, (i) => incidents.push(i)));
  incidents.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.kind < b.kind ? -1 : 1));
  return { records, incidents, subjects: describeSubjects(org) };
}

/**
 * A lazy stream for benchmarks: memory stays bounded by the number of sources and the
 * delivery-lag window, whatever `count` is. Time runs on day after day from `start`.
 */
export function* streamWorkload(options: StreamWorkloadOptions = {}): Generator<CloudTrailRecord> {
  const r = resolve(options, false);
  const org = buildOrganisation(r.seed, r.people, r.accountId, r.secondAccountId);
  yield* run(r, org, options.onIncident ?? (() => undefined));
}

/** `streamWorkload` serialized: one compact JSON document per record, no trailing newline. */
export function* streamWorkloadJson(options: StreamWorkloadOptions = {}): Generator<string> {
  for (const rec of streamWorkload(options)) yield JSON.stringify(rec);
}

/** The subjects of the organisation a workload with these options simulates. */
export function workloadSubjects(options: WorkloadOptions = {}): WorkloadSubject[] {
  const r = resolve(options, true);
  return describeSubjects(buildOrganisation(r.seed, r.people, r.accountId, r.secondAccountId));
}
