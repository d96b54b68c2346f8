import { AWS_NETWORKS, type CountryCode, randomIpv4, randomIpv4In, randomIpv6 } from './networks.js';
import { Prng } from './prng.js';
import {
  type Browser,
  type DeviceOs,
  type ToolProfile,
  browserUserAgent,
  pickBrowser,
  pickToolProfile,
} from './user-agents.js';
import type { WorkloadSubject } from './workload.types.js';

/**
 * The simulated company: a few dozen people in Europe, the US and India, their IAM users or
 * Identity Center (SSO) access, a second AWS account reached by role assumption or SSO, and
 * the non-human identities (CI user, Lambda execution role, AWS services).
 */
export type Group = 'admins' | 'developers' | 'readonly' | 'ops';
export type Access = 'iam-user' | 'sso';

export interface Location {
  readonly city: string;
  readonly country: CountryCode;
  readonly timeZone: string;
  /**
   * Fixed offset. DST is not modelled: the default day (2026-11-02) is after the EU and US
   * switch to winter time, so these are the true offsets for it.
   */
  readonly utcOffsetMinutes: number;
  readonly office: boolean;
  readonly region: 'EU' | 'US' | 'IN';
}

const LOCATIONS: readonly Location[] = [
  { city: 'Berlin', country: 'DE', timeZone: 'Europe/Berlin', utcOffsetMinutes: 60, office: true, region: 'EU' },
  { city: 'Munich', country: 'DE', timeZone: 'Europe/Berlin', utcOffsetMinutes: 60, office: false, region: 'EU' },
  { city: 'London', country: 'GB', timeZone: 'Europe/London', utcOffsetMinutes: 0, office: true, region: 'EU' },
  { city: 'Manchester', country: 'GB', timeZone: 'Europe/London', utcOffsetMinutes: 0, office: false, region: 'EU' },
  { city: 'Paris', country: 'FR', timeZone: 'Europe/Paris', utcOffsetMinutes: 60, office: false, region: 'EU' },
  { city: 'Madrid', country: 'ES', timeZone: 'Europe/Madrid', utcOffsetMinutes: 60, office: false, region: 'EU' },
  { city: 'Warsaw', country: 'PL', timeZone: 'Europe/Warsaw', utcOffsetMinutes: 60, office: false, region: 'EU' },
  { city: 'New York', country: 'US', timeZone: 'America/New_York', utcOffsetMinutes: -300, office: true, region: 'US' },
  { city: 'Boston', country: 'US', timeZone: 'America/New_York', utcOffsetMinutes: -300, office: false, region: 'US' },
  { city: 'Austin', country: 'US', timeZone: 'America/Chicago', utcOffsetMinutes: -360, office: false, region: 'US' },
  { city: 'San Francisco', country: 'US', timeZone: 'America/Los_Angeles', utcOffsetMinutes: -480, office: true, region: 'US' },
  { city: 'Seattle', country: 'US', timeZone: 'America/Los_Angeles', utcOffsetMinutes: -480, office: false, region: 'US' },
  { city: 'Bangalore', country: 'IN', timeZone: 'Asia/Kolkata', utcOffsetMinutes: 330, office: true, region: 'IN' },
  { city: 'Pune', country: 'IN', timeZone: 'Asia/Kolkata', utcOffsetMinutes: 330, office: false, region: 'IN' },
  { city: 'Hyderabad', country: 'IN', timeZone: 'Asia/Kolkata', utcOffsetMinutes: 330, office: false, region: 'IN' },
];

function location(city: string): Location {
  const l = LOCATIONS.find((x) => x.city === city);
  if (!l) throw new Error(`unknown location ${city}`);
  return l;
}

type NameKey = Exclude<CountryCode, 'BR'>;

const FIRST_NAMES: Record<NameKey, readonly string[]> = {
  DE: ['Jonas', 'Lena', 'Lukas', 'Anna', 'Felix', 'Marie', 'Jürgen', 'Sophie', 'Max', 'Clara', 'Paul', 'Hannah'],
  GB: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Emily', 'Jack', 'Sophie', 'Thomas', 'Grace'],
  FR: ['Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Théo', 'Camille', 'Lucas'],
  ES: ['Lucía', 'Pablo', 'Marta', 'Javier', 'Sofía', 'Álvaro', 'Carmen', 'Diego'],
  PL: ['Jakub', 'Zofia', 'Piotr', 'Anna', 'Michał', 'Katarzyna', 'Tomasz', 'Agnieszka'],
  US: ['James', 'Emily', 'Michael', 'Sarah', 'David', 'Jessica', 'Daniel', 'Ashley', 'Chris', 'Megan', 'Kevin', 'Rachel', 'Tyler', 'Lauren', 'Brandon', 'Nicole'],
  IN: ['Aarav', 'Priya', 'Rohan', 'Ananya', 'Vikram', 'Sneha', 'Arjun', 'Kavya', 'Rahul', 'Divya', 'Karthik', 'Meera', 'Aditya', 'Pooja', 'Siddharth', 'Neha'],
};

const LAST_NAMES: Record<NameKey, readonly string[]> = {
  DE: ['Schmidt', 'Müller', 'Weber', 'Fischer', 'Becker', 'Wagner', 'Groß', 'Schäfer', 'Hoffmann', 'Koch'],
  GB: ['Smith', 'Taylor', 'Brown', 'Wilson', 'Evans', 'Davies', 'Roberts', 'Walker', 'Wright', 'Hughes'],
  FR: ['Dubois', 'Moreau', 'Lefèvre', 'Martin', 'Bernard', 'Laurent', 'Girard', 'Roux'],
  ES: ['García', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Ruiz'],
  PL: ['Kowalski', 'Nowak', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański'],
  US: ['Johnson', 'Williams', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Anderson', 'Thomas', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young', 'King'],
  IN: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Nair', 'Gupta', 'Singh', 'Rao', 'Menon', 'Joshi', 'Kulkarni', 'Das', 'Krishnan', 'Banerjee', 'Chopra', 'Mehta'],
};

export const PERMISSION_SETS: Record<Group, string> = {
  admins: 'AdministratorAccess',
  developers: 'DeveloperAccess',
  readonly: 'ReadOnlyAccess',
  ops: 'OpsAccess',
};

export interface SecondAccountRole {
  readonly name: string;
  readonly roleId: string;
  readonly arn: string;
  readonly requiresMfa: boolean;
}

export interface RoleAccess {
  readonly role: SecondAccountRole;
  /** Whether the person's CLI profile sets `source_identity` (most do; one deliberately not). */
  readonly setsSourceIdentity: boolean;
}

export interface Person {
  readonly index: number;
  readonly displayName: string;
  readonly userName: string;
  readonly email: string;
  readonly group: Group;
  readonly access: Access;
  readonly location: Location;
  readonly principalId: string;
  readonly userArn: string;
  readonly accessKeyId: string;
  readonly mfaSerial: string;
  readonly os: DeviceOs;
  readonly browser: Browser;
  readonly browserUa: string;
  readonly tools: ToolProfile;
  readonly homeIp: string;
  /** Some home connections are dual-stack; the console then often shows IPv6. */
  readonly homeIpv6: string | null;
  readonly officeIp: string | null;
  readonly activity: number;
  readonly workStartMinute: number;
  readonly workEndMinute: number;
  readonly roleAccess: RoleAccess | null;
  readonly usesTerraform: boolean;
  /** Region for the person's own resources, besides the company's primary eu-west-1. */
  readonly localRegion: string;
}

export interface SsoRole {
  readonly accountId: string;
  readonly name: string;
  readonly roleId: string;
  readonly arn: string;
}

export interface Organisation {
  readonly accountId: string;
  readonly secondAccountId: string;
  readonly primaryRegion: 'eu-west-1';
  readonly ssoRegion: 'eu-west-1';
  readonly people: readonly Person[];
  readonly rootIp: string;
  readonly secondAccountRoles: readonly SecondAccountRole[];
  /** Key: `${accountId}/${permissionSet}`. */
  readonly ssoRoles: ReadonlyMap<string, SsoRole>;
  readonly ci: {
    readonly userName: 'ci-deployer';
    readonly principalId: string;
    readonly userArn: string;
    readonly accessKeyId: string;
    readonly ip: string;
  };
  readonly lambda: {
    readonly functionName: string;
    readonly roleName: string;
    readonly roleId: string;
    readonly roleArn: string;
  };
  readonly trail: { readonly name: string; readonly arn: string; readonly bucket: string };
  readonly resources: ReadonlyMap<string, AccountResources>;
}

export interface AccountResources {
  readonly buckets: readonly string[];
  readonly instances: readonly string[];
  readonly securityGroups: readonly string[];
  readonly kmsKeys: readonly string[];
  readonly functions: readonly string[];
  readonly logGroups: readonly string[];
  readonly roles: readonly string[];
  readonly secrets: readonly string[];
  readonly customerPolicies: readonly string[];
}

/** IAM user names allow only ASCII letters, digits and `+=,.@_-`. */
export function asciiFold(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o');
}

interface Slot {
  group: Group;
  city: string;
  access: Access;
  role?: { name: string; sourceIdentity: boolean };
}

/**
 * Fixed attributes for the first eight people, so that every seed has the actors the
 * seeded incidents need (an admin, an ops engineer, a German developer whose account gets
 * shared, an attach-policy target) and one person whose role sessions carry no
 * sourceIdentity (attribution then has to use the credential chain).
 */
const CORE_SLOTS: readonly Slot[] = [
  { group: 'admins', city: 'Berlin', access: 'iam-user', role: { name: 'ops-admin', sourceIdentity: true } },
  { group: 'ops', city: 'London', access: 'iam-user', role: { name: 'ops-admin', sourceIdentity: true } },
  { group: 'developers', city: 'Munich', access: 'iam-user' },
  { group: 'developers', city: 'Bangalore', access: 'sso' },
  { group: 'readonly', city: 'New York', access: 'sso' },
  { group: 'developers', city: 'San Francisco', access: 'iam-user', role: { name: 'developer', sourceIdentity: true } },
  { group: 'ops', city: 'Pune', access: 'iam-user', role: { name: 'support', sourceIdentity: false } },
  { group: 'admins', city: 'Austin', access: 'sso' },
];

export const MIN_PEOPLE = CORE_SLOTS.length;

export const INCIDENT_ACTORS = {
  admin: 0,
  ops: 1,
  sharedAccount: 2,
  attachTarget: 5,
} as const;

function randomSlot(rng: Prng): Slot {
  const region = rng.weighted<Location['region']>([['EU', 40], ['US', 35], ['IN', 25]]);
  const city = rng.pick(LOCATIONS.filter((l) => l.region === region)).city;
  const group = rng.weighted<Group>([['developers', 50], ['readonly', 22], ['ops', 18], ['admins', 6]]);
  const access: Access = rng.chance(0.4) ? 'sso' : 'iam-user';
  let role: Slot['role'];
  if (access === 'iam-user' && group !== 'readonly' && rng.chance(0.35)) {
    role = { name: group === 'developers' ? 'developer' : 'ops-admin', sourceIdentity: true };
  }
  return { group, city, access, role };
}

function awsId(rng: Prng, prefix: string): string {
  // IAM unique ids: 4-letter prefix + 17 characters of [A-Z0-9].
  return prefix + rng.upperAlnum(17);
}

export function accessKeyId(rng: Prng, prefix: 'AKIA' | 'ASIA'): string {
  return prefix + rng.base32(16);
}

export function buildOrganisation(seed: string, people: number, accountId: string, secondAccountId: string): Organisation {
  const rng = new Prng(seed, 'organisation');
  const secondAccountRoles: SecondAccountRole[] = [
    { name: 'ops-admin', requiresMfa: true },
    { name: 'developer', requiresMfa: false },
    { name: 'support', requiresMfa: true },
  ].map((r) => ({ ...r, roleId: awsId(rng, 'AROA'), arn: `arn:aws:iam::${secondAccountId}:role/${r.name}` }));

  const ssoRoles = new Map<string, SsoRole>();
  for (const acct of [accountId, secondAccountId]) {
    for (const ps of Object.values(PERMISSION_SETS)) {
      const name = `AWSReservedSSO_${ps}_${rng.hex(16)}`;
      ssoRoles.set(`${acct}/${ps}`, {
        accountId: acct,
        name,
        roleId: awsId(rng, 'AROA'),
        arn: `arn:aws:iam::${acct}:role/aws-reserved/sso.amazonaws.com/eu-west-1/${name}`,
      });
    }
  }

  const officeIps = new Map<string, string>();
  for (const l of LOCATIONS) if (l.office) officeIps.set(l.city, randomIpv4(rng, l.country));

  const usedNames = new Set<string>();
  const list: Person[] = [];
  for (let i = 0; i < people; i++) {
    const slot = i < CORE_SLOTS.length ? CORE_SLOTS[i] : randomSlot(rng);
    const loc = location(slot.city);
    let first = '';
    let last = '';
    let userName = '';
    for (let attempt = 0; ; attempt++) {
      const names = loc.country as NameKey;
      first = rng.pick(FIRST_NAMES[names]);
      last = rng.pick(LAST_NAMES[names]);
      userName = `${asciiFold(first)}.${asciiFold(last)}${attempt >= 20 ? String(attempt) : ''}`;
      if (!usedNames.has(userName)) break;
    }
    usedNames.add(userName);
    const os = loc.region === 'IN' ? rng.weighted<DeviceOs>([['windows', 5], ['macos', 3], ['linux', 2]]) : rng.weighted<DeviceOs>([['macos', 6], ['windows', 3], ['linux', 1]]);
    const browser = pickBrowser(rng, os);
    const roleAccess = slot.role
      ? { role: secondAccountRoles.find((r) => r.name === slot.role!.name)!, setsSourceIdentity: slot.role.sourceIdentity }
      : null;
    list.push({
      index: i,
      // Display names keep their diacritics (NFC), as an HR system would export them.
      displayName: `${first} ${last}`.normalize('NFC'),
      userName,
      email: `${userName}@example.com`,
      group: slot.group,
      access: slot.access,
      location: loc,
      principalId: awsId(rng, 'AIDA'),
      userArn: `arn:aws:iam::${accountId}:user/${userName}`,
      accessKeyId: accessKeyId(rng, 'AKIA'),
      mfaSerial: `arn:aws:iam::${accountId}:mfa/${userName}`,
      os,
      browser,
      browserUa: browserUserAgent(os, browser),
      tools: pickToolProfile(rng, os),
      homeIp: randomIpv4(rng, loc.country),
      homeIpv6: rng.chance(0.3) ? randomIpv6(rng, loc.country) : null,
      officeIp: loc.office ? officeIps.get(loc.city)! : null,
      activity: slot.group === 'readonly' ? rng.bell(0.3, 0.8) : rng.bell(0.6, 1.5),
      workStartMinute: Math.round(rng.bell(7.5 * 60, 10 * 60)),
      workEndMinute: Math.round(rng.bell(16.5 * 60, 19 * 60)),
      roleAccess,
      usesTerraform: slot.group !== 'readonly' && rng.chance(slot.group === 'developers' ? 0.25 : 0.6),
      localRegion: loc.region === 'US' ? 'us-east-1' : loc.region === 'IN' ? 'ap-south-1' : 'eu-central-1',
    });
  }

  const resources = new Map<string, AccountResources>();
  for (const acct of [accountId, secondAccountId]) {
    resources.set(acct, {
      buckets: [`acme-artifacts-${acct}`, `acme-app-uploads-${acct}`, `acme-data-lake-${acct}`, `acme-terraform-state-${acct}`, `acme-reports-${acct}`],
      instances: Array.from({ length: 14 }, () => `i-0${rng.hex(16)}`),
      securityGroups: Array.from({ length: 6 }, () => `sg-0${rng.hex(16)}`),
      kmsKeys: Array.from({ length: 3 }, () => `arn:aws:kms:eu-west-1:${acct}:key/${rng.uuid()}`),
      functions: ['orders-processor', 'thumbnail-generator', 'billing-export', 'slack-notifier'],
      logGroups: ['/aws/lambda/orders-processor', '/aws/lambda/billing-export', '/ecs/web-api', '/ecs/payments', '/app/audit'],
      roles: ['web-api-task', 'payments-task', 'orders-processor-role', 'billing-export-role', 'ops-admin', 'developer'],
      secrets: [`arn:aws:secretsmanager:eu-west-1:${acct}:secret:prod/payments/db-${rng.base64(6).replace(/[+/]/g, 'x')}`, `arn:aws:secretsmanager:eu-west-1:${acct}:secret:prod/orders/api-key-${rng.base64(6).replace(/[+/]/g, 'x')}`],
      customerPolicies: ['DeveloperBoundary', 'S3ArtifactsReadWrite', 'LogsReadOnly', 'DeployLambda'].map((p) => `arn:aws:iam::${acct}:policy/${p}`),
    });
  }

  const ciIp = randomIpv4In(rng, AWS_NETWORKS.euCentral1[0]);
  return {
    accountId,
    secondAccountId,
    primaryRegion: 'eu-west-1',
    ssoRegion: 'eu-west-1',
    people: list,
    rootIp: list[INCIDENT_ACTORS.admin].homeIp,
    secondAccountRoles,
    ssoRoles,
    ci: {
      userName: 'ci-deployer',
      principalId: awsId(rng, 'AIDA'),
      userArn: `arn:aws:iam::${accountId}:user/ci-deployer`,
      accessKeyId: accessKeyId(rng, 'AKIA'),
      ip: ciIp,
    },
    lambda: {
      functionName: 'orders-processor',
      roleName: 'orders-processor-role',
      roleId: awsId(rng, 'AROA'),
      roleArn: `arn:aws:iam::${accountId}:role/service-role/orders-processor-role`,
    },
    trail: {
      name: 'org-audit-trail',
      arn: `arn:aws:cloudtrail:eu-west-1:${accountId}:trail/org-audit-trail`,
      bucket: `acme-cloudtrail-logs-${accountId}`,
    },
    resources,
  };
}

export function ssoRoleFor(org: Organisation, person: Person, accountId: string): SsoRole {
  return org.ssoRoles.get(`${accountId}/${PERMISSION_SETS[person.group]}`)!;
}

/**
 * The subjects an ideal ledger derives. For SSO people there is no IAM user: the only
 * identity CloudTrail gives is the role session name (their e-mail), so that is the id.
 */
export function describeSubjects(org: Organisation): WorkloadSubject[] {
  const subjects: WorkloadSubject[] = org.people.map((p) => {
    const principals: string[] = [];
    let secondAccount: WorkloadSubject['secondAccount'] = null;
    if (p.access === 'iam-user') {
      principals.push(p.userArn);
      if (p.roleAccess) {
        principals.push(`arn:aws:sts::${org.secondAccountId}:assumed-role/${p.roleAccess.role.name}/${p.userName}`);
        secondAccount = p.roleAccess.setsSourceIdentity ? 'assume-role' : 'assume-role-without-source-identity';
      }
    } else {
      for (const acct of [org.accountId, org.secondAccountId]) {
        principals.push(`arn:aws:sts::${acct}:assumed-role/${ssoRoleFor(org, p, acct).name}/${p.email}`);
      }
      secondAccount = 'sso';
    }
    return {
      id: p.access === 'iam-user' ? p.userArn : p.email,
      kind: 'human',
      name: p.displayName,
      userName: p.access === 'iam-user' ? p.userName : null,
      email: p.email,
      groups: [p.group],
      access: p.access,
      country: p.location.country,
      city: p.location.city,
      timeZone: p.location.timeZone,
      utcOffsetMinutes: p.location.utcOffsetMinutes,
      principals,
      secondAccount,
    };
  });
  subjects.push(
    {
      id: org.ci.userArn,
      kind: 'service',
      name: 'CI deployer',
      userName: org.ci.userName,
      email: null,
      groups: ['deployers'],
      access: 'iam-user',
      country: null,
      city: null,
      timeZone: null,
      utcOffsetMinutes: null,
      principals: [org.ci.userArn],
      secondAccount: null,
    },
    {
      id: 'lambda.amazonaws.com',
      kind: 'service',
      name: `Lambda function ${org.lambda.functionName}`,
      userName: null,
      email: null,
      groups: [],
      access: 'aws-service',
      country: null,
      city: null,
      timeZone: null,
      utcOffsetMinutes: null,
      principals: [`arn:aws:sts::${org.accountId}:assumed-role/${org.lambda.roleName}/${org.lambda.functionName}`],
      secondAccount: null,
    },
    {
      id: 'cloudtrail.amazonaws.com',
      kind: 'service',
      name: 'AWS CloudTrail',
      userName: null,
      email: null,
      groups: [],
      access: 'aws-service',
      country: null,
      city: null,
      timeZone: null,
      utcOffsetMinutes: null,
      principals: [],
      secondAccount: null,
    },
    {
      id: `arn:aws:iam::${org.accountId}:root`,
      kind: 'root',
      name: 'AWS account root user',
      userName: null,
      email: null,
      groups: [],
      access: 'root',
      country: null,
      city: null,
      timeZone: null,
      utcOffsetMinutes: null,
      principals: [`arn:aws:iam::${org.accountId}:root`],
      secondAccount: null,
    },
  );
  return subjects;
}
