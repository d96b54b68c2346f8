import type { AuthenticationFactor, EventCategory, MfaStatus, Outcome } from '#domain';

/**
 * What one auth log message says, before it is placed on a host and in time. Parsers read
 * the message text of sshd (and OpenSSH 9.8+'s `sshd-session` / `sshd-auth`), sudo, su, login
 * and PAM modules (`pam_unix(sshd:auth): ...`, from any program).
 *
 * User names are attacker-controlled text in sshd's failure messages (trap 12): they may be
 * empty, contain spaces, or contain a forged ` from <ip> port <n>`. sshd always appends the
 * real peer last, so the peer is read from the end of the message.
 */
export interface AuthFact {
  category: EventCategory;
  type: string;
  action: string;
  outcome: Outcome;
  reason: string | null;
  /** The acting user as written; '' when the message names an empty user, null when it names none. */
  user: string | null;
  /** The user's uid when the message gives it (PAM sessions). */
  uid: number | null;
  /** sshd says the account does not exist, or the name was typed by someone nobody authenticated. */
  unverifiedUser: boolean;
  /** The user exists, but the line does not say that they are the one who acted. */
  claimOnly: boolean;
  /** The remote peer (IP or host name) as written. */
  peer: string | null;
  authentication: { factors: AuthenticationFactor[]; mfa: MfaStatus } | null;
  /** SSH key fingerprint of a public-key login. */
  credentialId: string | null;
  /** What the action was done to: the host itself, an identity run as (sudo, su), or a user account. */
  target: { kind: 'host' } | { kind: 'run_as'; user: string; command: string | null } | { kind: 'user'; user: string };
  /** Background sessions (cron, systemd --user) are done by the system, not a person. */
  background: boolean;
}

export type AuthParse =
  | { kind: 'fact'; fact: AuthFact }
  | { kind: 'ignored'; message: string }
  | { kind: 'unrecognized'; message: string }
  | { kind: 'unsupported'; message: string };

const SSHD_PROGRAMS = new Set(['sshd', 'sshd-session', 'sshd-auth']);
const ELEVATION_SERVICES = new Set(['su', 'su-l', 'sudo', 'sudo-i', 'runuser', 'runuser-l']);
const BACKGROUND_SERVICES = new Set(['cron', 'crond', 'atd', 'anacron', 'systemd-user']);

/** Programs whose lines the ledger reads (any program may also log PAM module lines). */
export function isAuthProgram(program: string): boolean {
  const name = program.toLowerCase();
  return SSHD_PROGRAMS.has(name) || name === 'sudo' || name === 'su' || name === 'login';
}

export function parseAuthMessage(program: string | null, text: string): AuthParse {
  const message = text.trim();
  const name = program?.toLowerCase() ?? null;
  if (PAM_LINE.test(message)) return pamMessage(message);
  if (name === null) return { kind: 'unrecognized', message: 'the line names no program' };
  if (SSHD_PROGRAMS.has(name)) return sshdMessage(message);
  if (name === 'sudo') return sudoMessage(message);
  if (name === 'su') return suMessage(message);
  if (name === 'login') return loginMessage(message);
  return { kind: 'unsupported', message: `lines from ${JSON.stringify(program)} are not auth events the ledger reads (sshd, sudo, su, login, pam_*)` };
}

// ---------------------------------------------------------------------------------------- sshd

const password = (): AuthenticationFactor => ({ type: 'knowledge', method: 'password' });

/** sshd's method names → factor; `mfa` is what a single method says on its own. */
const SSH_METHODS: Readonly<Record<string, { factors: AuthenticationFactor[]; mfa: MfaStatus }>> = {
  password: { factors: [password()], mfa: false },
  publickey: { factors: [{ type: 'possession', method: 'ssh_key' }], mfa: false },
  hostbased: { factors: [{ type: 'possession', method: 'host_key' }], mfa: false },
  // PAM may have asked for a one-time code as well as the password
  'keyboard-interactive/pam': { factors: [{ type: 'knowledge', method: 'keyboard_interactive' }], mfa: 'unknown' },
  'keyboard-interactive': { factors: [{ type: 'knowledge', method: 'keyboard_interactive' }], mfa: 'unknown' },
  'gssapi-with-mic': { factors: [{ type: 'possession', method: 'kerberos_ticket' }], mfa: 'unknown' },
  'gssapi-keyex': { factors: [{ type: 'possession', method: 'kerberos_ticket' }], mfa: 'unknown' },
  none: { factors: [], mfa: false },
};

const ACCEPTED = /^Accepted (\S+) for (.*)$/;
const FAILED = /^Failed (\S+) for (.*)$/;
const PARTIAL = /^Partial (\S+) for (.*)$/;
const INVALID_USER = /^Invalid user (.*)$/;
const PREAUTH_CLOSE = /^(Connection closed by|Disconnected from) (authenticating|invalid) user (.*)$/;
const DISCONNECTING = /^Disconnecting (authenticating|invalid) user (.*)$/;
const SESSION_DISCONNECT = /^Disconnected from user (.*)$/;
const MAX_ATTEMPTS = /^(?:error: )?maximum authentication attempts exceeded for (.*)$/;
const PAM_FAILURE = /^(?:error: )?PAM: Authentication failure for (.*)$/;
const NOT_ALLOWED = /^User (.*) not allowed because (.*)$/;
const ROOT_REFUSED = /^ROOT LOGIN REFUSED FROM (\S+)(?: port (\d{1,5}))?/;
const PREAUTH_SUFFIX = ' [preauth]';
const FINGERPRINT = /\b((?:SHA256|MD5):[A-Za-z0-9+/=:]+)/;
/** Lines sshd writes that name no user, or repeat what another line already recorded. */
const SSHD_NOISE =
  /^(?:Connection closed by |Connection reset by |Disconnected from |Received disconnect from |Did not receive identification string|Unable to negotiate with |banner exchange:|(?:error: )?kex_exchange_identification:|Bad protocol version|Protocol major versions differ|Server listening on |Received signal |Starting session: |Close session: |User child is on pid|Transferred: |Accepted key |Postponed |input_userauth_request: |Timeout before authentication|fatal: |error: |ssh_dispatch_run_fatal|PAM \d+ more authentication failures?|PAM service\(|reverse mapping checking|Address \S+ maps to |refused connect from|Invalid user$|Connection from |debug\d?: |Authorized to |Exiting on signal|syslogin_perform_logout|Read error from remote host|Load key |Changed root directory|Set \/proc\/self\/oom_score_adj|rexec line |Attempt to write login records|drop connection #)/;

function sshdMessage(raw: string): AuthParse {
  const message = raw.endsWith(PREAUTH_SUFFIX) ? raw.slice(0, -PREAUTH_SUFFIX.length) : raw;
  let m: RegExpExecArray | null;
  if ((m = ACCEPTED.exec(message)) !== null) return sshdAttempt(m[1]!, m[2]!, 'success');
  if ((m = FAILED.exec(message)) !== null) return sshdAttempt(m[1]!, m[2]!, 'failure');
  if ((m = PARTIAL.exec(message)) !== null) {
    const attempt = sshdAttempt(m[1]!, m[2]!, 'success');
    if (attempt.kind === 'fact') attempt.fact.type = 'authentication.login_step';
    return attempt;
  }
  if ((m = INVALID_USER.exec(message)) !== null) {
    const parts = splitUserFrom(m[1]!);
    if (parts === null) return unrecognized('sshd');
    return fact({ type: 'authentication.invalid_user', action: 'sshd:invalid_user', outcome: 'failure', reason: 'invalid user', user: parts.user, unverifiedUser: true, peer: parts.peer });
  }
  if ((m = PREAUTH_CLOSE.exec(message)) !== null) {
    const parts = splitUserPeerPort(m[3]!);
    if (parts === null) return unrecognized('sshd');
    const invalid = m[2] === 'invalid';
    // the client gave up before finishing authentication (typically: offered keys, none accepted)
    return fact({
      type: 'authentication.login_abandoned',
      action: 'sshd:preauth_disconnect',
      outcome: 'failure',
      reason: invalid ? 'invalid user; connection closed before authentication completed' : 'connection closed before authentication completed',
      user: parts.user,
      unverifiedUser: invalid,
      peer: parts.peer,
    });
  }
  if ((m = DISCONNECTING.exec(message)) !== null) {
    const parts = splitUserPeerPortReason(m[2]!);
    if (parts === null) return unrecognized('sshd');
    // sshd ended the connection before authentication completed, saying why (too many failures, ...)
    return fact({
      type: 'authentication.login_refused',
      action: 'sshd:disconnect',
      outcome: 'failure',
      reason: parts.reason ?? 'disconnected during authentication',
      user: parts.user,
      unverifiedUser: m[1] === 'invalid',
      peer: parts.peer,
    });
  }
  if ((m = MAX_ATTEMPTS.exec(message)) !== null) {
    const rest = m[1]!;
    const invalid = rest.startsWith('invalid user ');
    const parts = splitUserFrom(invalid ? rest.slice('invalid user '.length) : rest);
    if (parts === null) return unrecognized('sshd');
    return fact({ type: 'authentication.max_attempts_exceeded', action: 'sshd:max_attempts', outcome: 'failure', reason: 'maximum authentication attempts exceeded', user: parts.user, unverifiedUser: invalid, peer: parts.peer });
  }
  if ((m = PAM_FAILURE.exec(message)) !== null) {
    const rest = m[1]!;
    const invalid = rest.startsWith('illegal user ') || rest.startsWith('invalid user ');
    const parts = splitUserFrom(invalid ? rest.slice(rest.indexOf(' user ') + 6) : rest);
    if (parts === null) return unrecognized('sshd');
    return fact({ type: 'authentication.pam_auth_failure', action: 'sshd:pam', outcome: 'failure', reason: 'PAM authentication failure', user: parts.user, unverifiedUser: invalid, peer: parts.peer });
  }
  if ((m = NOT_ALLOWED.exec(message)) !== null) {
    const parts = splitUserFrom(m[1]!);
    if (parts === null) return unrecognized('sshd');
    return fact({ type: 'authentication.access_denied', action: 'sshd:access_denied', outcome: 'failure', reason: `not allowed because ${m[2]}`, user: parts.user, peer: parts.peer });
  }
  if ((m = ROOT_REFUSED.exec(message)) !== null) {
    return fact({ type: 'authentication.access_denied', action: 'sshd:access_denied', outcome: 'failure', reason: 'root login refused', user: 'root', peer: m[1]! });
  }
  if ((m = SESSION_DISCONNECT.exec(message)) !== null) {
    const parts = splitUserPeerPort(m[1]!);
    if (parts === null) return unrecognized('sshd');
    return fact({ type: 'authentication.logout', action: 'sshd:disconnect', outcome: 'success', user: parts.user, peer: parts.peer });
  }
  if (SSHD_NOISE.test(message)) return { kind: 'ignored', message: 'an sshd line that records no accountable action (no user, or a repeat of a line already recorded)' };
  return unrecognized('sshd');
}

/** `Accepted|Failed|Partial <method> for [invalid user ]<user> from <peer> port <n> ssh2[: <key>]` */
function sshdAttempt(method: string, rest: string, outcome: Outcome): AuthParse {
  const invalid = rest.startsWith('invalid user ');
  const parts = splitUserFrom(invalid ? rest.slice('invalid user '.length) : rest);
  if (parts === null) return unrecognized('sshd');
  const known = SSH_METHODS[method];
  const factors = known?.factors.map((f) => ({ ...f })) ?? [{ type: 'knowledge' as const, method: method.replace(/[^a-z0-9_-]+/gi, '_').slice(0, 64) || 'unknown' }];
  // a failed attempt proves nothing about MFA; neither does the last step of a multi-method login
  const mfa: MfaStatus = outcome === 'failure' ? 'unknown' : (known?.mfa ?? 'unknown');
  const fingerprint = parts.detail === null ? null : (FINGERPRINT.exec(parts.detail)?.[1] ?? null);
  return fact({
    type: 'authentication.login',
    action: `sshd:${method}`,
    outcome,
    reason: outcome === 'failure' ? (invalid ? `invalid user (${method})` : `failed ${method}`) : null,
    user: parts.user,
    unverifiedUser: invalid,
    peer: parts.peer,
    authentication: { factors, mfa },
    credentialId: fingerprint,
  });
}

const PEER_TAIL = /^(\S+)(?: port (\d{1,5}))?(?: ssh[12])?(?:: (.*))?$/;
const FROM = ' from ';
/** Only the last few " from " are tried: sshd appends the real one last, and this bounds the work. */
const FROM_TRIES = 4;

/**
 * `<user> from <peer>[ port <n>][ ssh2][: <detail>]`, split at the last " from " whose tail
 * fits: the user may be empty or contain " from " itself; the peer sshd appends is always last.
 */
export function splitUserFrom(text: string): { user: string; peer: string; detail: string | null } | null {
  // a leading space lets an empty user name match the same way as any other
  const padded = ` ${text}`;
  let at = padded.lastIndexOf(FROM);
  for (let tries = 0; at >= 0 && tries < FROM_TRIES; tries++) {
    const tail = PEER_TAIL.exec(padded.slice(at + FROM.length));
    if (tail !== null) return { user: padded.slice(1, Math.max(1, at)), peer: tail[1]!, detail: tail[3] ?? null };
    at = at === 0 ? -1 : padded.lastIndexOf(FROM, at - 1);
  }
  return null;
}

/** `<user> <peer> port <n>: <reason>`, the port being the last one followed by a colon or the end. */
function splitUserPeerPortReason(text: string): { user: string; peer: string; reason: string | null } | null {
  let at = text.lastIndexOf(' port ');
  for (let tries = 0; at >= 0 && tries < FROM_TRIES; tries++) {
    const tail = /^ port (\d{1,5})(?:: (.*))?$/.exec(text.slice(at));
    if (tail !== null) {
      const parts = splitUserPeerPort(`${text.slice(0, at)} port ${tail[1]}`);
      if (parts !== null) return { ...parts, reason: tail[2] ?? null };
    }
    at = at === 0 ? -1 : text.lastIndexOf(' port ', at - 1);
  }
  return null;
}

/** `<user> <peer> port <n>` (sshd's pre-authentication disconnect messages have no "from"). */
export function splitUserPeerPort(text: string): { user: string; peer: string } | null {
  const port = text.lastIndexOf(' port ');
  if (port < 0 || !/^\d{1,5}$/.test(text.slice(port + 6))) return null;
  const head = text.slice(0, port);
  const space = head.lastIndexOf(' ');
  const peer = head.slice(space + 1);
  if (peer === '') return null;
  return { user: space < 0 ? '' : head.slice(0, space), peer };
}

// ---------------------------------------------------------------------------------------- sudo

const SUDO_KEYS = new Set(['TTY', 'PWD', 'USER', 'GROUP', 'TSID', 'ENV', 'CHROOT', 'CWD', 'HOST', 'RUNCWD', 'RUNCHROOT']);

/**
 * `alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx`,
 * with a leading refusal on failure (`alice : 3 incorrect password attempts ; TTY=...`,
 * `user NOT in sudoers ; ...`). COMMAND is last and keeps everything after it, " ; " included.
 */
function sudoMessage(message: string): AuthParse {
  const sep = message.indexOf(' : ');
  if (sep < 0) return unrecognized('sudo');
  const user = message.slice(0, sep).trim();
  const rest = message.slice(sep + 3);
  if (rest.startsWith('(command continued)')) return { kind: 'ignored', message: 'the continuation of a long sudo command line, recorded with its first line' };
  const commandAt = rest.startsWith('COMMAND=') ? 0 : rest.indexOf(' ; COMMAND=');
  const command = commandAt < 0 ? null : rest.slice(commandAt === 0 ? 8 : commandAt + 11);
  const head = commandAt < 0 ? rest : rest.slice(0, commandAt);
  const fields = new Map<string, string>();
  let refusal: string | null = null;
  head.split(' ; ').forEach((segment, i) => {
    const eq = segment.indexOf('=');
    const key = eq < 0 ? '' : segment.slice(0, eq);
    if (SUDO_KEYS.has(key)) {
      if (!fields.has(key)) fields.set(key, segment.slice(eq + 1));
    } else if (i === 0 && segment.trim() !== '') {
      refusal = segment.trim();
    }
  });
  if (user === '' || (command === null && !fields.has('USER') && refusal === null)) return unrecognized('sudo');
  const runAs = fields.get('USER') || 'root';
  return fact({
    category: 'activity',
    type: 'activity.privileged_command',
    action: 'sudo',
    outcome: refusal === null ? 'success' : 'failure',
    reason: refusal,
    user,
    target: { kind: 'run_as', user: runAs, command },
  });
}

// ------------------------------------------------------------------------------------------ su

const SU_TO = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)$/;
const SU_FOR = /^(Successful|FAILED) su for (\S+) by (\S+)$/;
const SU_SHADOW = /^([+-]) (\S+) (\S+):(\S+)$/;

function suMessage(message: string): AuthParse {
  let m: RegExpExecArray | null;
  let user: string;
  let runAs: string;
  let ok: boolean;
  if ((m = SU_TO.exec(message)) !== null) [ok, runAs, user] = [m[1] === undefined, m[2]!, m[3]!];
  else if ((m = SU_FOR.exec(message)) !== null) [ok, runAs, user] = [m[1] === 'Successful', m[2]!, m[3]!];
  else if ((m = SU_SHADOW.exec(message)) !== null) [ok, user, runAs] = [m[1] === '+', m[3]!, m[4]!];
  else return unrecognized('su');
  return fact({
    category: 'activity',
    type: 'activity.privileged_command',
    action: 'su',
    outcome: ok ? 'success' : 'failure',
    reason: ok ? null : 'su authentication failed',
    user,
    target: { kind: 'run_as', user: runAs, command: null },
  });
}

// --------------------------------------------------------------------------------------- login

const ROOT_LOGIN = /^ROOT LOGIN +(?:ON|on) '?([^' ]+)'?(?: FROM '?([^' ]+)'?)?$/;
const LOGIN_ON = /^LOGIN ON '?([^' ]+)'? BY '?([^' ]+)'?(?: FROM '?([^' ]+)'?)?$/;
const FAILED_LOGIN = /^FAILED LOGIN \(\d+\) on '?([^' ]+)'?(?: FROM '?([^' ]+)'?)? FOR '(.*)', (.*)$/;

function loginMessage(message: string): AuthParse {
  let m: RegExpExecArray | null;
  const consoleLogin = (): { factors: AuthenticationFactor[]; mfa: MfaStatus } => ({ factors: [password()], mfa: false });
  if ((m = ROOT_LOGIN.exec(message)) !== null) {
    return fact({ type: 'authentication.login', action: 'login', outcome: 'success', user: 'root', peer: m[2] ?? null, authentication: consoleLogin() });
  }
  if ((m = LOGIN_ON.exec(message)) !== null) {
    return fact({ type: 'authentication.login', action: 'login', outcome: 'success', user: m[2]!, peer: m[3] ?? null, authentication: consoleLogin() });
  }
  if ((m = FAILED_LOGIN.exec(message)) !== null) {
    // login writes UNKNOWN when the typed name is not an account
    const unknown = m[3] === 'UNKNOWN';
    return fact({
      type: 'authentication.login',
      action: 'login',
      outcome: 'failure',
      reason: m[4]!,
      user: m[3]!,
      unverifiedUser: unknown,
      peer: m[2] ?? null,
      authentication: { factors: [password()], mfa: 'unknown' },
    });
  }
  return unrecognized('login');
}

// ----------------------------------------------------------------------------------------- PAM

const PAM_LINE = /^pam_[a-z0-9_]{1,32}\([^:()\s]{1,64}:[a-z]{1,16}\): /;
const PAM_HEADER = /^(pam_[a-z0-9_]{1,32})\(([^:()\s]{1,64}):([a-z]{1,16})\): (.*)$/;
const AUTH_FAILURE = /^authentication failure; logname=(\S*) uid=(\d*) euid=(\d*) tty=(\S*) ruser=(\S*) rhost=(\S*)(?: +user=(.*))?$/;
const SESSION_OPENED = /^session opened for user (\S+?)(?:\(uid=(\d+)\))?(?: by (\S*?)(?:\(uid=(\d+)\))?)?$/;
const SESSION_CLOSED = /^session closed for user (\S+)$/;
const PASSWORD_CHANGED = /^password changed for (\S+)$/;
const PAM_NOISE = /^(?:check pass; user unknown|conversation failed|auth could not identify password|account \S+ has password changed in future|unable to obtain a password|\d+ more authentication failures?)/;

/**
 * PAM module lines: an authentication failure (which sshd, sudo and su also report in their
 * own words: kept, with its own type `authentication.pam_auth_failure`, so that counting
 * attempts counts `authentication.login` failures once), and session open/close.
 */
function pamMessage(message: string): AuthParse {
  const header = PAM_HEADER.exec(message);
  if (header === null) return unrecognized('pam');
  const [, module, service, facility, text] = header as unknown as [string, string, string, string, string];
  const action = `${module}(${service}:${facility})`;
  const elevation = ELEVATION_SERVICES.has(service);
  let m: RegExpExecArray | null;
  if (facility === 'auth' && (m = AUTH_FAILURE.exec(text)) !== null) {
    const [, logname, , , , ruser, rhost, target] = m;
    // su and sudo authenticate the person elevating (ruser/logname); sshd and login the account (user)
    const actor = ruser || (elevation ? logname : '') || target?.trim() || null;
    const targetUser = target?.trim() || null;
    return fact({
      type: 'authentication.pam_auth_failure',
      action,
      outcome: 'failure',
      reason: 'authentication failure',
      user: actor,
      unverifiedUser: actor === null,
      peer: rhost || null,
      // su names the account being switched to; sudo authenticates the invoker as themself
      target: switchesUser(service) && targetUser !== null ? { kind: 'run_as', user: targetUser, command: null } : { kind: 'host' },
    });
  }
  if (facility === 'session' && (m = SESSION_OPENED.exec(text)) !== null) {
    const [, sessionUser, sessionUid, by, byUid] = m;
    const invoker = by && by !== 'LOGIN' ? by : null;
    const background = BACKGROUND_SERVICES.has(service.toLowerCase());
    if (elevation && invoker !== null) {
      return fact({
        type: 'authentication.session_opened',
        action,
        outcome: 'success',
        user: invoker,
        uid: byUid === undefined ? null : Number(byUid),
        target: { kind: 'run_as', user: sessionUser!, command: null },
      });
    }
    return fact({
      category: background ? 'activity' : 'authentication',
      type: background ? 'activity.session_opened' : 'authentication.session_opened',
      action,
      outcome: 'success',
      user: sessionUser!,
      uid: sessionUid === undefined ? null : Number(sessionUid),
      background,
    });
  }
  if (facility === 'session' && (m = SESSION_CLOSED.exec(text)) !== null) {
    const background = BACKGROUND_SERVICES.has(service.toLowerCase());
    return fact({
      category: background ? 'activity' : 'authentication',
      type: background ? 'activity.session_closed' : 'authentication.session_closed',
      action,
      outcome: 'success',
      user: m[1]!,
      background,
    });
  }
  if ((facility === 'chauthtok' || facility === 'password') && (m = PASSWORD_CHANGED.exec(text)) !== null) {
    // the line names whose password changed, not who changed it
    return fact({
      category: 'identity',
      type: 'identity.password.changed',
      action,
      outcome: 'success',
      user: m[1]!,
      claimOnly: true,
      target: { kind: 'user', user: m[1]! },
    });
  }
  if (PAM_NOISE.test(text)) return { kind: 'ignored', message: 'a PAM line that repeats or precedes another line of the same attempt' };
  return unrecognized(module);
}

// ------------------------------------------------------------------------------------- helpers

function switchesUser(service: string): boolean {
  return service === 'su' || service === 'su-l' || service.startsWith('runuser');
}

function fact(partial: Partial<AuthFact> & Pick<AuthFact, 'type' | 'action' | 'outcome' | 'user'>): AuthParse {
  return {
    kind: 'fact',
    fact: {
      category: partial.category ?? 'authentication',
      reason: null,
      uid: null,
      unverifiedUser: false,
      claimOnly: false,
      peer: null,
      authentication: null,
      credentialId: null,
      target: { kind: 'host' },
      background: false,
      ...partial,
    },
  };
}

function unrecognized(program: string): AuthParse {
  return { kind: 'unrecognized', message: `a line from ${program} that no rule recognizes` };
}
