import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  COUNTRY_NETWORKS,
  type CloudTrailRecord,
  type CountryCode,
  INCIDENT_KINDS,
  generateWorkload,
  streamWorkload,
  streamWorkloadJson,
  workloadSubjects,
} from './index.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const START = Date.parse('2026-11-02T00:00:00Z');
const END = Date.parse('2026-11-03T00:00:00Z');

// One default demo workload shared by the read-only assertions below.
const demo = generateWorkload();
const byId = new Map(demo.records.map((r) => [r.eventID, r]));

function ipv4InCountry(ip: string, country: CountryCode): boolean {
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return COUNTRY_NETWORKS[country].ipv4.some((cidr) => {
    const [base, len] = cidr.split('/');
    const b = base.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(len));
    return n >= b && n < b + size;
  });
}

const timeOf = (r: CloudTrailRecord): number => Date.parse(r.eventTime);

describe('generateWorkload: determinism', () => {
  it('gives byte-identical output for the same seed and options', () => {
    const again = generateWorkload();
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
  });

  it('gives different output for a different seed', () => {
    const other = generateWorkload({ seed: 43 });
    expect(JSON.stringify(other.records)).not.toBe(JSON.stringify(demo.records));
    expect(other.records[0].eventID).not.toBe(demo.records[0].eventID);
  });

  it('matches the pinned digest of a small workload (same bytes on every machine)', () => {
    // Update deliberately when the generator changes on purpose; an unexpected change here
    // means output now depends on the machine, the Node version or an unseeded input.
    const small = generateWorkload({ subjects: 8, end: '2026-11-02T06:00:00Z' });
    const digest = createHash('sha256').update(JSON.stringify(small)).digest('hex');
    expect(digest).toBe(SMALL_WORKLOAD_SHA256);
  });
});

describe('generateWorkload: the demo day', () => {
  it('has a realistic volume and 36 subjects', () => {
    expect(demo.records.length).toBeGreaterThanOrEqual(3000);
    expect(demo.records.length).toBeLessThanOrEqual(6000);
    expect(demo.subjects).toHaveLength(36);
    expect(new Set(demo.subjects.map((s) => s.id)).size).toBe(36);
  });

  it('gives every record a unique UUID v4 event id', () => {
    expect(byId.size).toBe(demo.records.length);
    for (const r of demo.records) expect(r.eventID).toMatch(UUID_V4);
  });

  it('keeps event times inside the range, mostly ordered, with bounded lateness', () => {
    let ordered = 0;
    let maxSeen = -Infinity;
    let maxLateness = 0;
    for (let i = 0; i < demo.records.length; i++) {
      const r = demo.records[i];
      expect(r.eventTime).toMatch(EVENT_TIME);
      const t = timeOf(r);
      expect(t).toBeGreaterThanOrEqual(START);
      expect(t).toBeLessThan(END);
      if (i > 0 && t >= timeOf(demo.records[i - 1])) ordered++;
      maxLateness = Math.max(maxLateness, maxSeen - t);
      maxSeen = Math.max(maxSeen, t);
    }
    const fraction = ordered / (demo.records.length - 1);
    expect(fraction).toBeGreaterThan(0.85);
    expect(fraction).toBeLessThan(1); // there is some jitter
    expect(maxLateness).toBeLessThanOrEqual(45 * 60 * 1000);
  });

  it('has the CloudTrail fields of a real record on every record', () => {
    for (const r of demo.records) {
      expect(r.eventVersion).toMatch(/^1\.\d\d$/);
      expect(r.eventSource).toMatch(/\.amazonaws\.com$/);
      expect(typeof r.eventName).toBe('string');
      expect(r.awsRegion).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      expect(typeof r.sourceIPAddress).toBe('string');
      expect(typeof r.userAgent).toBe('string');
      expect(r).toHaveProperty('requestParameters');
      expect(r).toHaveProperty('responseElements');
      expect(typeof r.readOnly).toBe('boolean');
      expect(['AwsApiCall', 'AwsConsoleSignIn']).toContain(r.eventType);
      expect(typeof r.managementEvent).toBe('boolean');
      expect(r.recipientAccountId).toMatch(/^\d{12}$/);
      expect(['Management', 'Data']).toContain(r.eventCategory);
      const id = r.userIdentity;
      if (id.type === 'AWSService') {
        expect(id.invokedBy).toMatch(/\.amazonaws\.com$/);
        expect(r.sourceIPAddress).toBe(id.invokedBy);
        continue;
      }
      expect(id.accountId).toMatch(/^\d{12}$/);
      expect(id.principalId).toBeTruthy();
      if (r.eventType === 'AwsApiCall') {
        expect(r.requestID).toBeTruthy();
        // Long-term keys are AKIA, every session (console, role, SSO) uses ASIA.
        expect(id.accessKeyId).toMatch(id.sessionContext ? /^ASIA[A-Z2-7]{16}$/ : /^AKIA[A-Z2-7]{16}$/);
      }
      if (id.sessionContext) expect(['true', 'false']).toContain(id.sessionContext.attributes.mfaAuthenticated);
      if (r.sessionCredentialFromConsole !== undefined) expect(r.sessionCredentialFromConsole).toBe('true');
      if (r.errorCode) expect(r.responseElements).toBeNull();
    }
  }, 30_000);

  it('writes null request parameters where CloudTrail does', () => {
    const calls = demo.records.filter((r) => r.eventName === 'GetCallerIdentity' || r.eventName === 'ConsoleLogin');
    expect(calls.length).toBeGreaterThan(10);
    for (const r of calls) expect(r.requestParameters).toBeNull();
  });

  it('models IAM user console logins with MFA, SSO logins with MFA at the IdP, and mistyped passwords', () => {
    const logins = demo.records.filter((r) => r.eventName === 'ConsoleLogin');
    const iamOk = logins.filter((r) => r.userIdentity.type === 'IAMUser' && r.responseElements?.ConsoleLogin === 'Success');
    const sso = logins.filter((r) => r.userIdentity.type === 'AssumedRole');
    const failed = logins.filter((r) => r.responseElements?.ConsoleLogin === 'Failure');
    expect(iamOk.length).toBeGreaterThan(5);
    expect(sso.length).toBeGreaterThan(3);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const r of logins) {
      expect(r.eventType).toBe('AwsConsoleSignIn');
      expect(r.eventSource).toBe('signin.amazonaws.com');
      expect(r.additionalEventData?.MFAUsed).toMatch(/^(Yes|No)$/);
    }
    for (const r of sso) {
      expect(r.additionalEventData?.MFAUsed).toBe('No');
      expect(r.userIdentity.sessionContext?.sessionIssuer?.userName).toMatch(/^AWSReservedSSO_/);
      expect(r.userIdentity.arn).toMatch(/\/[a-z.]+@example\.com$/);
    }
    for (const r of failed) {
      expect(r.errorMessage).toBe('Failed authentication');
      expect(r.additionalEventData?.MFAUsed).toBe('No');
    }
  });

  it('chains role sessions to their AssumeRole, most of them carrying sourceIdentity', () => {
    const issued = new Map<string, number>();
    for (const r of demo.records) {
      if (r.eventName === 'AssumeRole' && !r.errorCode) {
        const creds = (r.responseElements as { credentials: { accessKeyId: string } }).credentials;
        issued.set(creds.accessKeyId, timeOf(r));
      }
    }
    const roleCalls = demo.records.filter((r) => r.userIdentity.type === 'AssumedRole' && r.userIdentity.sessionContext?.sessionIssuer?.arn?.includes(':role/') && !r.userIdentity.arn!.includes('AWSReservedSSO_'));
    expect(roleCalls.length).toBeGreaterThan(50);
    for (const r of roleCalls) {
      const at = issued.get(r.userIdentity.accessKeyId!);
      // Sessions started the day before (the Lambda's) may have been issued before the range.
      if (at !== undefined) expect(at).toBeLessThanOrEqual(timeOf(r));
    }
    const withSourceIdentity = roleCalls.filter((r) => r.userIdentity.sessionContext?.sourceIdentity);
    expect(withSourceIdentity.length).toBeGreaterThan(0);
    for (const r of withSourceIdentity) {
      expect(issued.has(r.userIdentity.accessKeyId!)).toBe(true);
      expect(r.recipientAccountId).toBe('444455556666');
    }
  });

  it('includes services, AWS Internal calls, IPv6 sources, failures and data events', () => {
    const ci = demo.records.filter((r) => r.userIdentity.userName === 'ci-deployer');
    expect(ci.length).toBeGreaterThan(50);
    expect(new Set(ci.map((r) => r.sourceIPAddress)).size).toBe(1);
    expect(ci.every((r) => r.userIdentity.accessKeyId?.startsWith('AKIA'))).toBe(true);
    expect(demo.records.some((r) => r.userIdentity.type === 'AWSService' && r.sourceIPAddress === 'cloudtrail.amazonaws.com')).toBe(true);
    expect(demo.records.some((r) => r.userIdentity.type === 'AWSService' && r.eventName === 'AssumeRole' && r.sourceIPAddress === 'lambda.amazonaws.com')).toBe(true);
    expect(demo.records.some((r) => r.sourceIPAddress === 'AWS Internal')).toBe(true);
    expect(demo.records.filter((r) => r.sourceIPAddress.includes(':')).length).toBeGreaterThan(20);
    expect(demo.records.filter((r) => r.errorCode === 'AccessDenied' || r.errorCode === 'AccessDeniedException' || r.errorCode === 'Client.UnauthorizedOperation').length).toBeGreaterThan(10);
    const data = demo.records.filter((r) => r.eventCategory === 'Data');
    expect(data.length).toBeGreaterThan(100);
    expect(data.every((r) => r.managementEvent === false && r.eventSource === 's3.amazonaws.com')).toBe(true);
    const agents = demo.records.map((r) => r.userAgent);
    for (const prefix of ['Mozilla/5.0', 'aws-cli/2.', 'Boto3/', 'APN/1.0 HashiCorp/1.0 Terraform/']) {
      expect(agents.some((ua) => ua.startsWith(prefix) || ua.startsWith(`[${prefix}`))).toBe(true);
    }
  });

  it('puts people in working hours of their own time zone', () => {
    const people = new Map(demo.subjects.filter((s) => s.kind === 'human').map((s) => [s.principals[0], s]));
    let inHours = 0;
    let total = 0;
    for (const r of demo.records) {
      const s = people.get(r.userIdentity.arn ?? '');
      if (!s || s.utcOffsetMinutes === null) continue;
      const local = (timeOf(r) / 60_000 + s.utcOffsetMinutes) % 1440;
      total++;
      if (local >= 6.5 * 60 && local < 21 * 60) inHours++;
    }
    expect(total).toBeGreaterThan(500);
    expect(inHours / total).toBeGreaterThan(0.95);
  });
});

describe('generateWorkload: seeded incidents', () => {
  const incident = (kind: string) => {
    const found = demo.incidents.filter((i) => i.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const evidence = (kind: string): CloudTrailRecord[] =>
    incident(kind).eventIds.map((id) => {
      const r = byId.get(id);
      expect(r, `event ${id} of ${kind}`).toBeDefined();
      return r!;
    });

  it('lists each of the five kinds once, all evidence present, at plausible hours', () => {
    expect(demo.incidents.map((i) => i.kind).sort()).toEqual([...INCIDENT_KINDS].sort());
    for (const i of demo.incidents) {
      expect(i.eventIds.length).toBeGreaterThan(0);
      expect(i.description.length).toBeGreaterThan(10);
      const hour = new Date(i.time).getUTCHours();
      expect(hour).toBeGreaterThanOrEqual(7);
      expect(hour).toBeLessThan(23);
      for (const id of i.eventIds) expect(byId.has(id)).toBe(true);
    }
  });

  it('root_console_login_without_mfa: a Root ConsoleLogin with MFAUsed No', () => {
    const [r] = evidence('root_console_login_without_mfa');
    expect(incident('root_console_login_without_mfa').subject).toBe('arn:aws:iam::111122223333:root');
    expect(r.eventName).toBe('ConsoleLogin');
    expect(r.userIdentity.type).toBe('Root');
    expect(r.userIdentity.arn).toBe('arn:aws:iam::111122223333:root');
    expect(r.additionalEventData?.MFAUsed).toBe('No');
    expect(r.responseElements).toEqual({ ConsoleLogin: 'Success' });
  });

  it('root_access_key_created: CreateAccessKey by Root without a userName', () => {
    const [r] = evidence('root_access_key_created');
    expect(incident('root_access_key_created').subject).toBe('arn:aws:iam::111122223333:root');
    expect(r.eventName).toBe('CreateAccessKey');
    expect(r.eventSource).toBe('iam.amazonaws.com');
    expect(r.userIdentity.type).toBe('Root');
    expect(r.requestParameters?.userName).toBeUndefined();
    expect((r.responseElements as { accessKey: { accessKeyId: string } }).accessKey.accessKeyId).toMatch(/^AKIA/);
    expect(r.errorCode).toBeUndefined();
  });

  it('trail_stopped: a successful StopLogging by the subject', () => {
    const [r] = evidence('trail_stopped');
    expect(r.eventSource).toBe('cloudtrail.amazonaws.com');
    expect(r.eventName).toBe('StopLogging');
    expect(r.errorCode).toBeUndefined();
    expect(r.userIdentity.arn).toBe(incident('trail_stopped').subject);
    expect(String(r.requestParameters?.name)).toContain(':trail/');
  });

  it('admin_policy_attached_to_user: AdministratorAccess attached by one user to another', () => {
    const [r] = evidence('admin_policy_attached_to_user');
    expect(r.eventName).toBe('AttachUserPolicy');
    expect(r.requestParameters?.policyArn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(r.userIdentity.arn).toBe(incident('admin_policy_attached_to_user').subject);
    expect(r.requestParameters?.userName).not.toBe(r.userIdentity.userName);
    expect(r.errorCode).toBeUndefined();
  });

  it('shared_account_two_countries: one IAM user signs in from DE and BR within minutes on two devices', () => {
    const records = evidence('shared_account_two_countries');
    const subject = incident('shared_account_two_countries').subject;
    const logins = records.filter((r) => r.eventName === 'ConsoleLogin');
    expect(logins).toHaveLength(2);
    for (const r of records) expect(r.userIdentity.arn).toBe(subject);
    const [a, b] = [...logins].sort((x, y) => timeOf(x) - timeOf(y));
    expect(ipv4InCountry(a.sourceIPAddress, 'DE')).toBe(true);
    expect(ipv4InCountry(b.sourceIPAddress, 'BR')).toBe(true);
    expect(timeOf(b) - timeOf(a)).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(a.userAgent).not.toBe(b.userAgent);
  });
});

describe('streamWorkload', () => {
  it('streams 200k records lazily with unique ids and bounded memory', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const ids = new Set<string>();
    let count = 0;
    let last = '';
    for (const r of streamWorkload({ count: 200_000, seed: 'bench' })) {
      count++;
      ids.add(r.eventID);
      last = r.eventTime;
    }
    expect(count).toBe(200_000);
    expect(ids.size).toBe(200_000);
    expect(last > '2026-11-02').toBe(true);
    // Retaining the records would take well over a gigabyte; the stream keeps a few sources' worth.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(512 * 1024 * 1024);
  }, 120_000);

  it('does not precompute: the first records of a 10M stream come immediately', () => {
    const it = streamWorkload({ count: 10_000_000 });
    for (let i = 0; i < 100; i++) expect(it.next().done).toBe(false);
    it.return(undefined);
  });

  it('produces the same records as generateWorkload for the same range', () => {
    const streamed = Array.from(streamWorkload({ end: '2026-11-03T00:00:00Z' }));
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(demo.records));
  }, 30_000);

  it('reports incidents through onIncident as their evidence is produced', () => {
    const seen: string[] = [];
    for (const _ of streamWorkload({ count: 20_000, onIncident: (i) => seen.push(i.kind) })) {
      // consume
    }
    expect([...seen].sort()).toEqual([...INCIDENT_KINDS].sort());
  }, 30_000);

  it('has the size mix: mostly 1-2 KB, a few % of 5-20 KB, and forced 100 KB+ records', () => {
    const sizes: number[] = [];
    for (const line of streamWorkloadJson({ count: 6000, hugeRecordEvery: 1500 })) sizes.push(Buffer.byteLength(line));
    sizes.sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)];
    expect(median).toBeGreaterThanOrEqual(1000);
    expect(median).toBeLessThanOrEqual(2048);
    const inOneToTwo = sizes.filter((s) => s >= 900 && s <= 2300).length / sizes.length;
    expect(inOneToTwo).toBeGreaterThan(0.8);
    const medium = sizes.filter((s) => s > 5 * 1024 && s <= 21 * 1024).length / sizes.length;
    expect(medium).toBeGreaterThan(0.01);
    expect(medium).toBeLessThan(0.08);
    const huge = sizes.filter((s) => s > 100 * 1024);
    expect(huge.length).toBeGreaterThanOrEqual(3);
    for (const s of huge) expect(s).toBeLessThan(256 * 1024); // CloudTrail's own record limit
  }, 30_000);

  it('places one huge record per block by default (so 1M records contain some)', () => {
    // The default block is 250k records; a 1k block shows the same mechanism at test size.
    let huge = 0;
    for (const line of streamWorkloadJson({ count: 4000, hugeRecordEvery: 1000, largeRecordRate: 0 })) if (line.length > 100 * 1024) huge++;
    expect(huge).toBeGreaterThanOrEqual(3);
    expect(huge).toBeLessThanOrEqual(4);
  });

  it('honours a custom time range and account id', () => {
    const records = Array.from(streamWorkload({ start: '2026-03-10T09:00:00Z', end: '2026-03-10T15:00:00Z', accountId: '123456789012', seed: 'x' }));
    expect(records.length).toBeGreaterThan(500);
    const from = Date.parse('2026-03-10T09:00:00Z');
    const to = Date.parse('2026-03-10T15:00:00Z');
    for (const r of records) {
      expect(timeOf(r)).toBeGreaterThanOrEqual(from);
      expect(timeOf(r)).toBeLessThan(to);
    }
    expect(records.some((r) => r.recipientAccountId === '123456789012')).toBe(true);
    expect(records.some((r) => r.userIdentity.arn === 'arn:aws:iam::123456789012:root')).toBe(true);
  });

  it('rejects invalid options', () => {
    expect(() => generateWorkload({ subjects: 3 })).toThrow(RangeError);
    expect(() => generateWorkload({ start: '2026-11-02T00:00:00Z', end: '2026-11-01T00:00:00Z' })).toThrow(RangeError);
    expect(() => generateWorkload({ start: 'yesterday' })).toThrow(RangeError);
    expect(() => generateWorkload({ accountId: '444455556666' })).toThrow(RangeError);
    expect(() => streamWorkload({ count: -1 }).next()).toThrow(RangeError);
  });

  it('scales the organisation with the subjects option', () => {
    const subjects = workloadSubjects({ subjects: 200 });
    expect(subjects.filter((s) => s.kind === 'human')).toHaveLength(200);
    expect(new Set(subjects.map((s) => s.id)).size).toBe(subjects.length);
    for (const s of subjects) if (s.userName) expect(s.userName).toMatch(/^[\w+=,.@-]+$/);
  });
});

// Changed on purpose: IN, BR and US ranges that the geo database splits across countries were
// replaced, and the root incidents list the two-person-rule and direct-root-login types.
const SMALL_WORKLOAD_SHA256 = '743ff0c48c36b091bafa687c8a7ff1107a6327b806a5d044cb0a4689b09ef79d';
