import type { NormalizedEvent } from '#domain';
import { describe, expect, it } from 'vitest';
import { ledgerEventSchemaViolation } from '../canonical/ledger-event-schema.js';
import { normalizeMessage, type NormalizeOptions, type NormalizeResult } from '../index.js';

// the lines below are from early November; "now" is the next day
const now = Date.parse('2026-11-03T00:00:00Z');

function normalize(body: string | Uint8Array, options: NormalizeOptions = {}): NormalizeResult {
  const result = normalizeMessage({ body }, { now, ...options });
  for (const event of result.events) expect(ledgerEventSchemaViolation(event)).toBeNull();
  return result;
}

/** The one event a line gives. */
function one(line: string, options: NormalizeOptions = {}): NormalizedEvent {
  const result = normalize(line, options);
  expect(result.rejected).toEqual([]);
  expect(result.events).toHaveLength(1);
  expect(result.format).toBe('linux-auth');
  return result.events[0]!;
}

const sshd = (message: string, pid = 4242, program = 'sshd') => `Nov  2 08:15:03 web-1 ${program}[${pid}]: ${message}`;

describe('Linux auth: sshd logins', () => {
  it('Accepted publickey: a login with an SSH key, the key fingerprint as the credential', () => {
    const line = sshd('Accepted publickey for alice from 203.0.113.5 port 51234 ssh2: ED25519 SHA256:Xk1vOq6r0Lw4cM5d8mN2pQ7sT9uV3yZ0aB1cD2eF3gH');
    expect(one(line)).toEqual({
      schema_version: 'v1',
      id: expect.stringMatching(/^web-1\/2026-11-02T08:15:03\.000Z\/4242\/[0-9a-f]{16}$/),
      category: 'authentication',
      type: 'authentication.login',
      time: '2026-11-02T08:15:03.000Z',
      actor: {
        subject: 'linux:web-1:alice',
        principal: 'alice',
        kind: 'human',
        via: null,
        attribution: 'direct',
        credential_id: 'SHA256:Xk1vOq6r0Lw4cM5d8mN2pQ7sT9uV3yZ0aB1cD2eF3gH',
        session_name: null,
      },
      authentication: { factors: [{ type: 'possession', method: 'ssh_key' }], mfa: false },
      action: 'sshd:publickey',
      target: { type: 'linux:host', id: 'web-1', name: null },
      outcome: 'success',
      outcome_reason: null,
      source: { ip: '203.0.113.5', service: null, user_agent: null, host: null, geo: null },
      origin: { system: 'linux-auth', account: null, region: null, kafka: null },
      raw: line,
    });
  });

  it.each([
    ['password', { type: 'knowledge', method: 'password' }, false],
    ['keyboard-interactive/pam', { type: 'knowledge', method: 'keyboard_interactive' }, 'unknown'],
    ['hostbased', { type: 'possession', method: 'host_key' }, false],
    ['gssapi-with-mic', { type: 'possession', method: 'kerberos_ticket' }, 'unknown'],
  ])('Accepted %s: the factor it names; MFA unknown where PAM or Kerberos may have done more', (method, factor, mfa) => {
    const event = one(sshd(`Accepted ${method} for alice from 203.0.113.5 port 22 ssh2`));
    expect(event.authentication).toEqual({ factors: [factor], mfa });
    expect(event.action).toBe(`sshd:${method}`);
  });

  it('a login as root is root use (a direct root login), whatever the method', () => {
    const event = one(sshd('Accepted password for root from 198.51.100.20 port 40022 ssh2'));
    expect(event.actor).toMatchObject({ subject: 'linux:web-1:root', kind: 'root', attribution: 'direct' });
  });

  it('Failed password: a failed login attempt; a failure says nothing about MFA', () => {
    const event = one(sshd('Failed password for bob from 198.51.100.9 port 50000 ssh2'));
    expect(event).toMatchObject({
      type: 'authentication.login',
      outcome: 'failure',
      outcome_reason: 'failed password',
      actor: { subject: 'linux:web-1:bob', kind: 'human', attribution: 'direct' },
      authentication: { factors: [{ type: 'knowledge', method: 'password' }], mfa: 'unknown' },
    });
  });

  it('Failed ... for invalid user: the typed name is the subject, unverified, of unknown kind', () => {
    const event = one(sshd('Failed none for invalid user oracle from 192.0.2.44 port 33333 ssh2'));
    expect(event).toMatchObject({
      type: 'authentication.login',
      outcome: 'failure',
      outcome_reason: 'invalid user (none)',
      actor: { subject: 'linux:web-1:oracle', kind: 'unknown', attribution: 'unresolved' },
      authentication: { factors: [], mfa: 'unknown' },
    });
  });

  it('Partial: one step of a multi-method login, its own type', () => {
    expect(one(sshd('Partial publickey for alice from 203.0.113.5 port 22 ssh2: RSA SHA256:abc'))).toMatchObject({
      type: 'authentication.login_step',
      outcome: 'success',
      actor: { subject: 'linux:web-1:alice', credential_id: 'SHA256:abc' },
    });
  });

  it.each([
    ['Invalid user admin from 192.0.2.1 port 5555', 'authentication.invalid_user', 'linux:web-1:admin', 'unknown'],
    ['Invalid user admin from 192.0.2.1', 'authentication.invalid_user', 'linux:web-1:admin', 'unknown'],
    ['Connection closed by authenticating user bob 192.0.2.1 port 5555 [preauth]', 'authentication.login_abandoned', 'linux:web-1:bob', 'human'],
    ['Connection closed by invalid user guest 192.0.2.1 port 5555 [preauth]', 'authentication.login_abandoned', 'linux:web-1:guest', 'unknown'],
    ['Disconnected from authenticating user bob 192.0.2.1 port 5555 [preauth]', 'authentication.login_abandoned', 'linux:web-1:bob', 'human'],
    ['Disconnecting invalid user admin 192.0.2.1 port 5555: Too many authentication failures [preauth]', 'authentication.login_refused', 'linux:web-1:admin', 'unknown'],
    ['error: maximum authentication attempts exceeded for root from 192.0.2.1 port 5555 ssh2 [preauth]', 'authentication.max_attempts_exceeded', 'linux:web-1:root', 'root'],
    ['error: PAM: Authentication failure for bob from 192.0.2.1', 'authentication.pam_auth_failure', 'linux:web-1:bob', 'human'],
    ['User bob from 192.0.2.1 not allowed because not listed in AllowUsers', 'authentication.access_denied', 'linux:web-1:bob', 'human'],
    ['ROOT LOGIN REFUSED FROM 192.0.2.1 port 5555', 'authentication.access_denied', 'linux:web-1:root', 'root'],
  ])('%s → %s', (message, type, subject, kind) => {
    const event = one(sshd(message));
    expect(event).toMatchObject({ type, outcome: 'failure', actor: { subject, kind }, source: { ip: '192.0.2.1' } });
    expect(event.outcome_reason).toEqual(expect.any(String));
  });

  it('Disconnected from user: the end of a session (a logout)', () => {
    expect(one(sshd('Disconnected from user alice 203.0.113.5 port 51234'))).toMatchObject({
      type: 'authentication.logout',
      outcome: 'success',
      actor: { subject: 'linux:web-1:alice' },
    });
  });

  it('the reason of a refusal is what sshd gave', () => {
    const event = one(sshd('Disconnecting authenticating user root 192.0.2.1 port 5555: Too many authentication failures [preauth]'));
    expect(event.outcome_reason).toBe('Too many authentication failures');
  });
});

describe('Linux auth: sudo, su, login and PAM', () => {
  it('sudo: a privileged command; the target is the run-as identity, the command its name', () => {
    const line = 'Nov  2 08:16:00 web-1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx';
    expect(one(line)).toMatchObject({
      category: 'activity',
      type: 'activity.privileged_command',
      action: 'sudo',
      outcome: 'success',
      actor: { subject: 'linux:web-1:alice', kind: 'human', attribution: 'direct' },
      target: { type: 'linux:run_as', id: 'linux:web-1:root', name: '/usr/bin/systemctl restart nginx' },
      id: expect.stringMatching(/^web-1\/2026-11-02T08:16:00\.000Z\/-\//),
    });
  });

  it('sudo: the command keeps everything after COMMAND=, separators included; the run-as user is read', () => {
    const line = 'Nov  2 08:16:00 web-1 sudo[77]: bob : PWD=/srv ; USER=postgres ; ENV=PGDATA=/db ; COMMAND=/bin/sh -c echo a ; echo b';
    expect(one(line).target).toEqual({ type: 'linux:run_as', id: 'linux:web-1:postgres', name: '/bin/sh -c echo a ; echo b' });
  });

  it.each([
    ['3 incorrect password attempts'],
    ['user NOT in sudoers'],
    ['command not allowed'],
  ])('sudo refusal "%s": a failed privileged command with that reason', (refusal) => {
    const event = one(`Nov  2 08:16:00 web-1 sudo: mallory : ${refusal} ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash`);
    expect(event).toMatchObject({ type: 'activity.privileged_command', outcome: 'failure', outcome_reason: refusal, actor: { subject: 'linux:web-1:mallory' } });
  });

  it('sudo: a continuation of a long command line is recognised and not recorded twice', () => {
    const result = normalize('Nov  2 08:16:00 web-1 sudo: alice : (command continued) --verbose --all');
    expect(result.rejected).toMatchObject([{ reason: 'ignored_line' }]);
  });

  it.each([
    ['su[300]: (to root) alice on pts/0', 'success'],
    ['su[300]: FAILED SU (to root) alice on pts/0', 'failure'],
    ['su[300]: Successful su for root by alice', 'success'],
    ['su[300]: FAILED su for root by alice', 'failure'],
    ['su[300]: + pts/0 alice:root', 'success'],
    ['su[300]: - pts/0 alice:root', 'failure'],
  ])('su "%s": alice switching to root is a privileged command (%s)', (text, outcome) => {
    expect(one(`Nov  2 08:16:02 web-1 ${text}`)).toMatchObject({
      type: 'activity.privileged_command',
      action: 'su',
      outcome,
      actor: { subject: 'linux:web-1:alice', kind: 'human' },
      target: { type: 'linux:run_as', id: 'linux:web-1:root' },
    });
  });

  it('login: a console root login is root use; a failed console login keeps the typed name', () => {
    expect(one("Nov  2 08:16:02 web-1 login[901]: ROOT LOGIN  on '/dev/tty1'")).toMatchObject({
      type: 'authentication.login',
      outcome: 'success',
      actor: { subject: 'linux:web-1:root', kind: 'root' },
    });
    expect(one("Nov  2 08:16:02 web-1 login[901]: FAILED LOGIN (1) on '/dev/tty1' FOR 'UNKNOWN', Authentication failure")).toMatchObject({
      outcome: 'failure',
      outcome_reason: 'Authentication failure',
      actor: { subject: 'linux:web-1:UNKNOWN', kind: 'unknown', attribution: 'unresolved' },
    });
  });

  it('PAM auth failure from su: the person elevating is the subject, the account they wanted the target', () => {
    const line = 'Nov  2 08:16:02 web-1 su[300]: pam_unix(su:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root';
    expect(one(line)).toMatchObject({
      type: 'authentication.pam_auth_failure',
      action: 'pam_unix(su:auth)',
      outcome: 'failure',
      actor: { subject: 'linux:web-1:alice', kind: 'human' },
      target: { type: 'linux:run_as', id: 'linux:web-1:root' },
      source: { ip: null },
    });
  });

  it('PAM sessions: sudo and su sessions are the invoker\'s; sshd and login sessions the user\'s; cron\'s the system\'s', () => {
    const at = (text: string) => one(`Nov  2 08:16:02 web-1 ${text}`);
    expect(at('sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)')).toMatchObject({
      type: 'authentication.session_opened',
      actor: { subject: 'linux:web-1:alice', kind: 'human' },
      target: { type: 'linux:run_as', id: 'linux:web-1:root' },
    });
    expect(at('sshd[4242]: pam_unix(sshd:session): session opened for user carol(uid=1001) by (uid=0)')).toMatchObject({
      type: 'authentication.session_opened',
      actor: { subject: 'linux:web-1:carol', kind: 'human' },
      target: { type: 'linux:host', id: 'web-1' },
    });
    expect(at('login[901]: pam_unix(login:session): session opened for user root(uid=0) by LOGIN(uid=0)').actor).toMatchObject({ subject: 'linux:web-1:root', kind: 'root' });
    expect(at('sshd[4242]: pam_unix(sshd:session): session closed for user carol')).toMatchObject({ type: 'authentication.session_closed' });
    expect(at('CRON[77]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)')).toMatchObject({
      category: 'activity',
      type: 'activity.session_opened',
      actor: { subject: 'linux:web-1:root', kind: 'service' },
    });
    expect(at('sshd[4242]: pam_unix(sshd:session): session opened for user postgres(uid=114) by (uid=0)').actor.kind).toBe('service');
    expect(at('su[300]: pam_unix(su:session): session opened for user root by alice(uid=1000)')).toMatchObject({
      actor: { subject: 'linux:web-1:alice', kind: 'human' },
      target: { type: 'linux:run_as', id: 'linux:web-1:root' },
    });
    // older PAM without uids, and other modules with the same wording
    expect(at('sshd[4242]: pam_sss(sshd:session): session opened for user dave by (uid=0)').actor.subject).toBe('linux:web-1:dave');
  });

  it('a password change names whose password changed, not who changed it', () => {
    expect(one('Nov  2 08:16:02 web-1 passwd[55]: pam_unix(passwd:chauthtok): password changed for erin')).toMatchObject({
      category: 'identity',
      type: 'identity.password.changed',
      actor: { subject: 'linux:web-1:erin', attribution: 'unresolved' },
      target: { type: 'linux:user', id: 'linux:web-1:erin' },
    });
  });
});

describe('Linux auth: trap 12, sshd variants', () => {
  it('empty user names become "(empty)", never an empty subject, and are unresolved', () => {
    const result = normalize(
      [
        sshd('Invalid user  from 192.0.2.7 port 41000'),
        sshd('Failed password for invalid user  from 192.0.2.7 port 41000 ssh2'),
        sshd('Connection closed by invalid user  192.0.2.7 port 41000 [preauth]'),
      ].join('\n'),
    );
    expect(result.rejected).toEqual([]);
    expect(result.events.map((e) => [e.type, e.actor.subject, e.actor.kind, e.actor.attribution, e.source.ip])).toEqual([
      ['authentication.invalid_user', 'linux:web-1:(empty)', 'unknown', 'unresolved', '192.0.2.7'],
      ['authentication.login', 'linux:web-1:(empty)', 'unknown', 'unresolved', '192.0.2.7'],
      ['authentication.login_abandoned', 'linux:web-1:(empty)', 'unknown', 'unresolved', '192.0.2.7'],
    ]);
  });

  it('sshd-session (OpenSSH 9.8+) and sshd-auth lines read exactly like sshd lines', () => {
    const message = 'Accepted password for alice from 203.0.113.5 port 22 ssh2';
    const events = ['sshd', 'sshd-session', 'sshd-auth'].map((program) => one(sshd(message, 10, program)));
    expect(new Set(events.map((e) => JSON.stringify([e.type, e.actor, e.action, e.authentication, e.source]))).size).toBe(1);
  });

  it('"message repeated N times": N further attempts, each its own event with a stable id', () => {
    const line = sshd('message repeated 3 times: [ Failed password for root from 192.0.2.9 port 22 ssh2]');
    const first = normalize(line);
    expect(first.rejected).toEqual([]);
    expect(first.events).toHaveLength(3);
    expect(first.events.every((e) => e.type === 'authentication.login' && e.outcome === 'failure' && e.actor.subject === 'linux:web-1:root' && e.raw === line)).toBe(true);
    const ids = first.events.map((e) => e.id);
    expect(ids.map((id) => id.slice(-2))).toEqual(['#1', '#2', '#3']);
    expect(new Set(ids).size).toBe(3);
    // delivered again: the same ids, so the store counts duplicates instead of new attempts
    expect(normalize(line).events.map((e) => e.id)).toEqual(ids);
  });

  it('"message repeated" with an implausible count is rejected, not expanded', () => {
    for (const count of ['0', '1001', '999999999999']) {
      const result = normalize(sshd(`message repeated ${count} times: [ Failed password for root from 192.0.2.9 port 22 ssh2]`));
      expect(result.events).toEqual([]);
      expect(result.rejected).toMatchObject([{ reason: 'invalid_record' }]);
    }
  });

  it('one attempt logged twice (pam_unix and Failed password): both kept, only one is an authentication.login', () => {
    const result = normalize(
      [
        sshd('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.9  user=root'),
        sshd('Failed password for root from 192.0.2.9 port 22 ssh2'),
      ].join('\n'),
    );
    expect(result.events.map((e) => [e.type, e.actor.subject, e.outcome])).toEqual([
      ['authentication.pam_auth_failure', 'linux:web-1:root', 'failure'],
      ['authentication.login', 'linux:web-1:root', 'failure'],
    ]);
    expect(result.events.filter((e) => e.type === 'authentication.login')).toHaveLength(1);
    expect(result.events[0]!.id).not.toBe(result.events[1]!.id);
  });

  it('PAM failure for a user sshd does not know: an unknown subject, not a guess', () => {
    const event = one(sshd('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.9'));
    expect(event.actor).toMatchObject({ subject: 'linux:web-1:(unknown)', kind: 'unknown', attribution: 'unresolved' });
    expect(normalize(sshd('pam_unix(sshd:auth): check pass; user unknown')).rejected).toMatchObject([{ reason: 'ignored_line' }]);
  });

  it('text injected into a user name: the real peer is the last "from", the forged one stays in the name', () => {
    const event = one(sshd('Failed password for invalid user root from 6.6.6.6 port 22 ssh2 from 192.0.2.55 port 4444 ssh2'));
    expect(event.source.ip).toBe('192.0.2.55');
    expect(event.actor).toMatchObject({ subject: 'linux:web-1:root from 6.6.6.6 port 22 ssh2', kind: 'unknown', attribution: 'unresolved' });
    // the same without a trailing port, as older sshd versions wrote it
    expect(one(sshd('Failed password for invalid user root from 6.6.6.6 port 22 ssh2 from 192.0.2.55')).source.ip).toBe('192.0.2.55');
    expect(one(sshd('Invalid user x from 6.6.6.6 from 192.0.2.55 port 1')).actor.subject).toBe('linux:web-1:x from 6.6.6.6');
  });

  it('user names with spaces are kept whole', () => {
    expect(one(sshd('Invalid user john doe from 192.0.2.1 port 22')).actor.subject).toBe('linux:web-1:john doe');
    expect(one(sshd('Connection closed by invalid user john doe 192.0.2.1 port 22 [preauth]')).actor.subject).toBe('linux:web-1:john doe');
  });

  it('IPv6 peers in canonical form (IPv4-mapped folded to IPv4), IPv6 hosts bracketed in the subject', () => {
    expect(one(sshd('Accepted password for alice from 2001:DB8:0:0::1 port 22 ssh2')).source.ip).toBe('2001:db8::1');
    expect(one(sshd('Accepted password for alice from ::ffff:192.0.2.1 port 22 ssh2')).source.ip).toBe('192.0.2.1');
    const event = one('<38>1 2026-11-02T08:15:03.123Z 2001:db8::7 sshd 123 - - Failed password for bob from fe80::1%eth0 port 22 ssh2');
    expect(event.actor.subject).toBe('linux:[2001:db8::7]:bob');
    expect(event.target).toEqual({ type: 'linux:host', id: '[2001:db8::7]', name: null });
    expect(event.source.ip).toBe('fe80::1%eth0');
    // with UseDNS the peer is a host name: kept as the source host, never an IP
    expect(one(sshd('Accepted password for alice from laptop.example.com port 22 ssh2')).source).toMatchObject({ ip: null, host: 'laptop.example.com' });
  });

  it('unrecognized lines from sshd, and lines from other programs, are rejected with a reason, never thrown', () => {
    const result = normalize(
      [
        sshd('Something new in OpenSSH 11'),
        'Nov  2 08:17:00 web-1 systemd-logind[1]: New session 5 of user alice.',
        sshd('Server listening on :: port 22.'),
        sshd('Received disconnect from 192.0.2.1 port 5555:11: Bye Bye [preauth]'),
        sshd(`Invalid user ${'x'.repeat(20_000)} from 192.0.2.1 port 1`),
      ].join('\n'),
    );
    expect(result.events).toEqual([]);
    expect(result.rejected.map((r) => [r.index, r.reason])).toEqual([
      [0, 'unrecognized_line'],
      [1, 'unsupported_event'],
      [2, 'ignored_line'],
      [3, 'ignored_line'],
      [4, 'unrecognized_line'],
    ]);
  });
});

describe('Linux auth: syslog headers and time (trap 6)', () => {
  it('RFC 3164 without a year: the year that puts the line just before now', () => {
    const january = Date.parse('2027-01-01T00:10:00Z');
    expect(one('Dec 31 23:59:58 web-1 sshd[1]: Accepted password for alice from 192.0.2.1 port 22 ssh2', { now: january }).time).toBe('2026-12-31T23:59:58.000Z');
    expect(one('Jan  1 00:09:00 web-1 sshd[1]: Accepted password for alice from 192.0.2.1 port 22 ssh2', { now: january }).time).toBe('2027-01-01T00:09:00.000Z');
  });

  it('RFC 3164 local time with a configured host offset; the line is never read as later than a day ahead', () => {
    const line = 'Nov  2 09:15:03 web-1 sshd[1]: Accepted password for alice from 192.0.2.1 port 22 ssh2';
    expect(one(line, { syslogUtcOffsetMinutes: 60 }).time).toBe('2026-11-02T08:15:03.000Z');
    expect(one(line, { syslogUtcOffsetMinutes: -420 }).time).toBe('2026-11-02T16:15:03.000Z');
  });

  it('RFC 5424 and RFC 3339 timestamps with offsets, fractions, -0700 style offsets', () => {
    const at = (stamp: string) => one(`<86>1 ${stamp} web-1 sshd 9 - - Accepted password for alice from 192.0.2.1 port 22 ssh2`).time;
    expect(at('2026-11-02T08:15:03.123456+01:00')).toBe('2026-11-02T07:15:03.123Z');
    expect(at('2026-11-02T01:15:03-0700')).toBe('2026-11-02T08:15:03.000Z');
    expect(one('2026-11-02T08:15:03.123456-07:00 Web-2 sshd[9]: Accepted password for alice from 192.0.2.1 port 22 ssh2')).toMatchObject({
      time: '2026-11-02T15:15:03.123Z',
      actor: { subject: 'linux:web-2:alice' },
    });
  });

  it('no timestamp, or an implausible one, is rejected with a reason, never replaced by now', () => {
    const nil = normalize('<86>1 - web-1 sshd 9 - - Accepted password for alice from 192.0.2.1 port 22 ssh2');
    expect(nil.rejected).toMatchObject([{ reason: 'missing_event_time' }]);
    const future = normalize('<86>1 2027-06-01T00:00:00Z web-1 sshd 9 - - Accepted password for alice from 192.0.2.1 port 22 ssh2');
    expect(future.rejected).toMatchObject([{ reason: 'invalid_event_time' }]);
    const badDate = normalize('<86>1 2026-02-30T00:00:00Z web-1 sshd 9 - - Accepted password for alice from 192.0.2.1 port 22 ssh2');
    expect(badDate.rejected).toMatchObject([{ reason: 'invalid_event_time' }]);
  });

  it('RFC 5424 structured data and a BOM before the message; nil host and pid', () => {
    const event = one('<86>1 2026-11-02T08:15:03Z - sshd - - [origin ip="10.0.0.1"][meta note="a \\"]\\" b"] \uFEFFAccepted password for alice from 192.0.2.1 port 22 ssh2');
    expect(event.actor.subject).toBe('linux:-:alice');
    expect(event.id).toMatch(/^-\/2026-11-02T08:15:03\.000Z\/-\//);
  });

  it('a priority prefix on an RFC 3164 line, and a local-socket line without a host', () => {
    expect(one('<38>Nov  2 08:15:03 web-1 sshd[1]: Accepted password for alice from 192.0.2.1 port 22 ssh2').actor.subject).toBe('linux:web-1:alice');
    expect(one('Nov  2 08:15:03 sshd[1]: Accepted password for alice from 192.0.2.1 port 22 ssh2').actor.subject).toBe('linux:-:alice');
  });
});

describe('Linux auth: event ids (these logs have none)', () => {
  it('the same line delivered again has the same id; any difference gives another id', () => {
    const line = sshd('Failed password for bob from 192.0.2.1 port 22 ssh2');
    const id = one(line).id;
    expect(one(line).id).toBe(id);
    expect(one(`${line}\r`).id).toBe(id);
    expect(one(line.replace('bob', 'rob')).id).not.toBe(id);
    expect(one(line.replace('[4242]', '[4243]')).id).not.toBe(id);
    expect(one(line.replace('08:15:03', '08:15:04')).id).not.toBe(id);
    expect(one(line.replace('web-1', 'web-2')).id).not.toBe(id);
  });

  it('a line delivered raw and the same line wrapped by journald share the id; raw is what was received', () => {
    const line = sshd('Accepted password for dave from 10.1.1.1 port 22 ssh2', 77);
    const journald = JSON.stringify({
      MESSAGE: 'Accepted password for dave from 10.1.1.1 port 22 ssh2',
      _HOSTNAME: 'web-1',
      SYSLOG_IDENTIFIER: 'sshd',
      _PID: '77',
      __REALTIME_TIMESTAMP: String(Date.parse('2026-11-02T08:15:03Z') * 1000),
    });
    const wrapped = one(journald);
    expect(wrapped.id).toBe(one(line).id);
    expect(wrapped.raw).toBe(journald);
  });
});

describe('Linux auth: JSON-wrapped lines', () => {
  it('journald: MESSAGE, _HOSTNAME, SYSLOG_IDENTIFIER, _PID and microsecond __REALTIME_TIMESTAMP', () => {
    const record = {
      __REALTIME_TIMESTAMP: '1793607303123456',
      _HOSTNAME: 'DB-1',
      SYSLOG_IDENTIFIER: 'sshd-session',
      _PID: '77',
      MESSAGE: 'Accepted publickey for dave from 10.1.1.1 port 22 ssh2: RSA SHA256:k3y',
    };
    expect(one(JSON.stringify(record))).toMatchObject({
      time: '2026-11-02T08:15:03.123Z',
      actor: { subject: 'linux:db-1:dave', credential_id: 'SHA256:k3y' },
      id: expect.stringMatching(/^db-1\/2026-11-02T08:15:03\.123Z\/77\//),
    });
  });

  it('journald: a MESSAGE that was not UTF-8 arrives as bytes', () => {
    const bytes = [...Buffer.from('Invalid user \u00e9ve from 192.0.2.1 port 22')];
    const record = { __REALTIME_TIMESTAMP: '1793607303000000', _HOSTNAME: 'db-1', SYSLOG_IDENTIFIER: 'sshd', MESSAGE: bytes };
    expect(one(JSON.stringify(record)).actor.subject).toBe('linux:db-1:\u00e9ve');
  });

  it('a whole syslog line in "message": the line\'s host and time win over the shipper\'s', () => {
    const record = {
      message: 'Nov  2 08:15:03 web-1 sshd[9]: Accepted password for alice from 192.0.2.1 port 22 ssh2',
      host: 'vector-collector-3',
      timestamp: '2026-11-02T08:15:09.999Z',
      file: '/var/log/auth.log',
    };
    expect(one(JSON.stringify(record))).toMatchObject({ time: '2026-11-02T08:15:03.000Z', actor: { subject: 'linux:web-1:alice' } });
  });

  it('the shipper\'s time anchors the year of an RFC 3164 line read long after it was shipped', () => {
    const record = { message: 'Dec 31 23:59:58 web-1 sshd[9]: Accepted password for alice from 192.0.2.1 port 22 ssh2', timestamp: '2025-01-01T00:00:02Z' };
    expect(one(JSON.stringify(record)).time).toBe('2024-12-31T23:59:58.000Z');
  });

  it.each([
    ['Vector syslog source', { message: 'Failed password for bob from 192.0.2.1 port 22 ssh2', hostname: 'web-1', appname: 'sshd', procid: 9, timestamp: '2026-11-02T08:15:03Z' }],
    ['Fluent Bit syslog parser', { log: 'Failed password for bob from 192.0.2.1 port 22 ssh2', host: 'web-1', ident: 'sshd', pid: '9', time: 'Nov  2 08:15:03' }],
    ['ECS (Filebeat, Logstash)', { message: 'Failed password for bob from 192.0.2.1 port 22 ssh2', host: { hostname: 'web-1' }, process: { name: 'sshd', pid: 9 }, '@timestamp': '2026-11-02T08:15:03.000Z' }],
    ['epoch seconds', { message: 'Failed password for bob from 192.0.2.1 port 22 ssh2', host: 'web-1', program: 'sshd', timestamp: 1793607303 }],
    ['epoch milliseconds', { message: 'Failed password for bob from 192.0.2.1 port 22 ssh2', host: 'web-1', program: 'sshd', timestamp: 1793607303000 }],
  ])('%s: message with the header fields beside it', (_name, record) => {
    expect(one(JSON.stringify(record))).toMatchObject({
      time: '2026-11-02T08:15:03.000Z',
      type: 'authentication.login',
      outcome: 'failure',
      actor: { subject: 'linux:web-1:bob' },
    });
  });

  it('a batch of wrapped lines as NDJSON or a JSON array, each with its own raw', () => {
    const records = [
      { MESSAGE: 'Accepted password for a from 192.0.2.1 port 22 ssh2', _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'sshd', __REALTIME_TIMESTAMP: '1793607303000000' },
      { MESSAGE: 'Accepted password for b from 192.0.2.1 port 22 ssh2', _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'sshd', __REALTIME_TIMESTAMP: '1793607304000000' },
    ];
    const ndjson = normalize(records.map((r) => JSON.stringify(r)).join('\n'));
    const array = normalize(JSON.stringify(records));
    expect(ndjson.events.map((e) => e.actor.subject)).toEqual(['linux:h:a', 'linux:h:b']);
    expect(array.events.map((e) => e.raw)).toEqual(records.map((r) => JSON.stringify(r)));
  });

  it('a wrapped line without any time is rejected; a wrapper that is not an auth line is not taken for one', () => {
    expect(normalize(JSON.stringify({ MESSAGE: 'Accepted password for a from 192.0.2.1 port 22 ssh2', _HOSTNAME: 'h', SYSLOG_IDENTIFIER: 'sshd' })).rejected).toMatchObject([
      { reason: 'missing_event_time' },
    ]);
    expect(normalize(JSON.stringify({ message: 'hello', host: 'h', timestamp: '2026-11-02T08:15:03Z' })).rejected).toMatchObject([{ reason: 'unknown_format' }]);
    // declared as linux-auth, a JSON object that is no wrapped line is an invalid record
    expect(normalizeMessage({ body: '{"a":1}', declaredFormat: 'syslog' }, { now }).rejected).toMatchObject([{ reason: 'invalid_record' }]);
  });
});

describe('Linux auth: batches of raw lines', () => {
  it('every line is one outcome, in order; a line that is not syslog is rejected alone', () => {
    const body = [
      sshd('Accepted password for alice from 192.0.2.1 port 22 ssh2'),
      'this is not a log line',
      '',
      'Nov  2 08:16:00 web-1 sudo: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/ls',
      sshd('Connection closed by 192.0.2.1 port 5555 [preauth]'),
    ].join('\r\n');
    const result = normalize(body);
    expect(result.events.map((e) => e.type)).toEqual(['authentication.login', 'activity.privileged_command']);
    expect(result.rejected.map((r) => [r.index, r.reason])).toEqual([
      [1, 'invalid_json'],
      [3, 'ignored_line'],
    ]);
  });

  it('a declared format reads lines as syslog whatever they look like', () => {
    const result = normalizeMessage({ body: 'not syslog at all', declaredFormat: 'linux-auth' }, { now });
    expect(result).toMatchObject({ format: 'linux-auth', events: [], rejected: [{ index: 0, reason: 'unrecognized_line' }] });
  });
});
