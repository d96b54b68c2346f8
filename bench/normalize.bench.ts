import { normalizeMessage } from '#sources';

/**
 * Normalization throughput per source format, on one core: `npm run build`, then
 * `node dist/bench/normalize.bench.js [--seconds 3] [--json]`. Rates are per CPU-second of
 * this (single-threaded) process, so that other work on a shared machine does not count.
 *
 * Each case normalizes Kafka-shaped messages (bytes, one record per message unless the case
 * says batch) in a tight loop after a warm-up, and reports events per second. The records are
 * realistic in size and shape, and differ from one another (ids, users, addresses), so that
 * no cache or branch predictor sees the same record twice in a row.
 */

interface Case {
  name: string;
  /** Messages to cycle through. */
  messages: Buffer[];
}

interface Figure {
  case: string;
  messages: number;
  events: number;
  rejected: number;
  seconds: number;
  /** CPU time of this process (user + system): on a shared machine, the fair "per core" measure. */
  cpuSeconds: number;
  eventsPerCpuSecond: number;
  eventsPerWallSecond: number;
  cpuMicrosecondsPerEvent: number;
}

const DISTINCT = 2_000;
const NOW = Date.parse('2026-11-03T00:00:00Z');
const BASE = Date.parse('2026-11-02T08:00:00Z');

const ip = (i: number) => `198.51.${(i >> 8) & 255}.${i & 255}`;
const iso = (i: number) => new Date(BASE + i * 1000).toISOString();
const user = (i: number) => `user${i % 300}`;

function cloudTrail(i: number): string {
  return JSON.stringify({
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEID:${user(i)}@example.com`,
      arn: `arn:aws:sts::111122223333:assumed-role/Admin/${user(i)}@example.com`,
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLEKEY12345',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', userName: 'Admin' },
        attributes: { creationDate: iso(i - 600), mfaAuthenticated: 'true' },
      },
    },
    eventTime: iso(i).replace('.000Z', 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: i % 3 === 0 ? 'AttachUserPolicy' : i % 3 === 1 ? 'CreateAccessKey' : 'ListUsers',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip(i),
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22',
    requestParameters: { userName: `bob${i % 50}`, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    responseElements: null,
    requestID: `3b2f1a0e-1c2d-4e5f-8a9b-${String(i).padStart(12, '0')}`,
    eventID: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  });
}

function canonical(i: number): string {
  return JSON.stringify({
    schema_version: 'v1',
    id: `evt-${i}`,
    category: 'authentication',
    type: 'authentication.login',
    time: iso(i),
    actor: { subject: `vpn:${user(i)}`, principal: user(i), kind: 'human', via: null, attribution: 'direct' },
    authentication: { factors: [{ type: 'knowledge', method: 'password' }, { type: 'possession', method: 'totp' }], mfa: true },
    action: 'vpn.connect',
    target: { type: 'vpn', id: 'vpn-eu-1', name: null },
    outcome: 'success',
    source: { ip: ip(i), service: null, user_agent: 'OpenVPN/2.6', host: null, geo: null },
    origin: { system: 'acme-vpn', account: null, region: null },
  });
}

function ocsf(i: number): string {
  return JSON.stringify({
    class_uid: 3002,
    class_name: 'Authentication',
    category_uid: 3,
    activity_id: 1,
    activity_name: 'Logon',
    type_uid: 300201,
    severity_id: 1,
    time: BASE + i * 1000,
    status_id: i % 7 === 0 ? 2 : 1,
    status_detail: i % 7 === 0 ? 'INVALID_CREDENTIALS' : undefined,
    metadata: { version: '1.3.0', uid: `ocsf-${i}`, product: { name: 'Entra ID', vendor_name: 'Microsoft' }, logged_time: BASE + i * 1000 + 200 },
    user: { name: user(i), email_addr: `${user(i)}@example.com`, uid: `b1f7c6a4-1111-4a4a-9c9c-${String(i).padStart(12, '0')}`, type_id: 1 },
    src_endpoint: { ip: ip(i), hostname: `laptop-${i % 300}` },
    http_request: { user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/128.0' },
    auth_protocol_id: 5,
    auth_protocol: 'SAML',
    is_mfa: i % 2 === 0,
    service: { name: 'Salesforce', uid: 'app-42' },
    cloud: { provider: 'Azure', region: 'westeurope', account: { uid: 'tenant-7' } },
  });
}

function okta(i: number): string {
  return JSON.stringify({
    actor: { id: `00u${i % 300}abcdEFGH`, type: 'User', alternateId: `${user(i)}@example.com`, displayName: `User ${i % 300}`, detailEntry: null },
    client: {
      userAgent: { rawUserAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', os: 'Mac OS X', browser: 'CHROME' },
      zone: 'null',
      device: 'Computer',
      id: null,
      ipAddress: ip(i),
      geographicalContext: { city: 'Berlin', state: 'Land Berlin', country: 'Germany', postalCode: '10115', geolocation: { lat: 52.5, lon: 13.4 } },
    },
    authenticationContext: { authenticationProvider: 'OKTA_AUTHENTICATION_PROVIDER', credentialProvider: null, credentialType: 'PASSWORD', issuer: null, interface: null, authenticationStep: 0, externalSessionId: `idx${i}` },
    displayMessage: 'User login to Okta',
    eventType: i % 5 === 0 ? 'user.authentication.auth_via_mfa' : 'user.session.start',
    outcome: { result: i % 9 === 0 ? 'FAILURE' : 'SUCCESS', reason: null },
    published: iso(i),
    securityContext: { asNumber: 3320, asOrg: 'deutsche telekom ag', isp: 'deutsche telekom ag', domain: 't-online.de', isProxy: false },
    severity: 'INFO',
    debugContext: { debugData: { requestId: `req${i}`, requestUri: '/idp/idx/identify', factor: i % 5 === 0 ? 'OKTA_VERIFY_PUSH' : undefined } },
    legacyEventType: 'core.user_auth.login_success',
    transaction: { type: 'WEB', id: `tx${i}`, detail: {} },
    uuid: `8b8f3f4e-4ef6-11ef-9f0d-${String(i).padStart(12, '0')}`,
    version: '0',
    request: { ipChain: [{ ip: ip(i), geographicalContext: null, version: 'V4', source: null }] },
    target: [],
  });
}

const SSHD_MESSAGES = [
  (i: number) => `Accepted publickey for ${user(i)} from ${ip(i)} port ${40000 + (i % 20000)} ssh2: ED25519 SHA256:Xk1vOq6r0Lw4cM5d8mN2pQ7sT9uV3y${i % 10}`,
  (i: number) => `Failed password for invalid user admin${i % 40} from ${ip(i)} port ${40000 + (i % 20000)} ssh2`,
  (i: number) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip(i)}  user=root`,
  (i: number) => `Connection closed by authenticating user ${user(i)} ${ip(i)} port ${40000 + (i % 20000)} [preauth]`,
];

function syslogLine(i: number): string {
  const stamp = new Date(BASE + i * 1000);
  const month = stamp.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(stamp.getUTCDate()).padStart(2, ' ');
  const time = stamp.toISOString().slice(11, 19);
  if (i % 5 === 4) return `${month} ${day} ${time} web-${i % 20} sudo:    ${user(i)} : TTY=pts/0 ; PWD=/home/${user(i)} ; USER=root ; COMMAND=/usr/bin/systemctl restart app${i % 9}`;
  return `${month} ${day} ${time} web-${i % 20} sshd[${1000 + i}]: ${SSHD_MESSAGES[i % SSHD_MESSAGES.length]!(i)}`;
}

function journald(i: number): string {
  const line = syslogLine(i);
  const message = line.slice(line.indexOf(': ') + 2);
  return JSON.stringify({
    __REALTIME_TIMESTAMP: String((BASE + i * 1000) * 1000),
    _HOSTNAME: `web-${i % 20}`,
    SYSLOG_IDENTIFIER: i % 5 === 4 ? 'sudo' : 'sshd',
    _PID: String(1000 + i),
    _COMM: 'sshd',
    _SYSTEMD_UNIT: 'ssh.service',
    PRIORITY: '6',
    MESSAGE: message,
  });
}

function messages(make: (i: number) => string): Buffer[] {
  return Array.from({ length: DISTINCT }, (_, i) => Buffer.from(make(i)));
}

function batches(make: (i: number) => string, size: number): Buffer[] {
  return Array.from({ length: DISTINCT / 100 }, (_, b) => Buffer.from(Array.from({ length: size }, (_, i) => make(b * size + i)).join('\n')));
}

const CASES: Case[] = [
  { name: 'aws-cloudtrail (one record per message)', messages: messages(cloudTrail) },
  { name: 'canonical (one event per message)', messages: messages(canonical) },
  { name: 'ocsf 3002 Authentication', messages: messages(ocsf) },
  { name: 'okta System Log', messages: messages(okta) },
  { name: 'linux-auth raw syslog line', messages: messages(syslogLine) },
  { name: 'linux-auth journald JSON', messages: messages(journald) },
  { name: 'linux-auth batch of 500 lines', messages: batches(syslogLine, 500) },
  { name: 'aws-cloudtrail NDJSON batch of 500', messages: batches(cloudTrail, 500) },
];

function measure(testCase: Case, seconds: number): Figure {
  const run = (deadlineNs: bigint) => {
    let messagesDone = 0;
    let events = 0;
    let rejected = 0;
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    let end = start;
    do {
      // check the clock every 100 messages: reading it costs more than a small record
      for (let k = 0; k < 100; k++) {
        const result = normalizeMessage({ body: testCase.messages[messagesDone % testCase.messages.length]! }, { now: NOW });
        events += result.events.length;
        rejected += result.rejected.length;
        messagesDone++;
      }
      end = process.hrtime.bigint();
    } while (end < deadlineNs);
    const cpu = process.cpuUsage(cpuStart);
    return { messagesDone, events, rejected, seconds: Number(end - start) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  };
  run(process.hrtime.bigint() + BigInt(Math.round(Math.min(1, seconds / 3) * 1e9)));
  const { messagesDone, events, rejected, seconds: elapsed, cpuSeconds } = run(process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9)));
  return {
    case: testCase.name,
    messages: messagesDone,
    events,
    rejected,
    seconds: Math.round(elapsed * 100) / 100,
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    eventsPerCpuSecond: Math.round(events / cpuSeconds),
    eventsPerWallSecond: Math.round(events / elapsed),
    cpuMicrosecondsPerEvent: Math.round((cpuSeconds / Math.max(1, events)) * 1e7) / 10,
  };
}

function main(argv: string[]): void {
  const secondsAt = argv.indexOf('--seconds');
  const seconds = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : 3;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds must be a positive number');
  const json = argv.includes('--json');
  const figures: Figure[] = [];
  for (const testCase of CASES) {
    const figure = measure(testCase, seconds);
    if (figure.rejected > 0) throw new Error(`${testCase.name}: ${figure.rejected} records rejected; the benchmark corpus must be valid`);
    figures.push(figure);
    if (!json) {
      const rate = String(figure.eventsPerCpuSecond).padStart(9);
      console.log(`${figure.case.padEnd(42)} ${rate} events/CPU-s  ${String(figure.cpuMicrosecondsPerEvent).padStart(6)} µs/event  (${figure.eventsPerWallSecond} events/s wall)`);
    }
  }
  if (json) console.log(JSON.stringify({ node: process.version, secondsPerCase: seconds, figures }, null, 2));
}

main(process.argv.slice(2));
