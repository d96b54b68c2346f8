import { isIP } from 'node:net';
import { LEDGER_EVENT_SCHEMA_VERSION, type ActorKind, type NormalizedEvent, type Target } from '#domain';
import { textDigest } from '../derived-id.js';
import { MAX_FUTURE_SKEW_MS, eventTimeFromEpochMillis, parseEventTime, parseSyslogTimestamp, type EventTimeResult } from '../event-time.js';
import { canonicalIp } from '../source-address.js';
import type { NormalizeContext, RecordSink, SourceNormalizer } from '../source-normalizer.js';
import { nfc } from '../unicode.js';
import { parseAuthMessage, type AuthFact } from './auth-messages.js';
import { unwrapLine, type WrappedLine } from './json-wrapped-line.js';
import { looksLikeSyslog, parseSyslogLine, type SyslogLine } from './syslog-line.js';

export const LINUX_AUTH_SYSTEM = 'linux-auth';

/** Longer than any message sshd, sudo, su or PAM write (sudo splits long command lines itself). */
export const MAX_AUTH_MESSAGE_LENGTH = 16 * 1024;
/** rsyslog's "message repeated N times" counts lines from one process; more than this is not a real count. */
export const MAX_REPEAT = 1000;
/** Subject placeholders: a user name given as empty text, and no user name at all. */
export const EMPTY_USER = '(empty)';
export const UNKNOWN_USER = '(unknown)';
/** The host part of a subject when the line names no host (RFC 5424's nil value). */
export const NO_HOST = '-';

const REPEATED = /^message repeated (\d{1,12}) times?: \[ ?(.*)\]$/;

/**
 * Linux auth log lines (sshd, sshd-session, sudo, su, login, PAM modules), as raw syslog lines
 * (RFC 3164 or RFC 5424, one per line, or a batch of lines) or wrapped in JSON by a log
 * shipper (journald, Vector, Fluent Bit). Subjects are `linux:<host>:<user>` (DESIGN 4).
 *
 * These logs carry no event id: the id is `<host>/<time>/<pid>/<hash>`, the hash being the
 * first 16 hex digits of SHA-256 over the program name, a newline and the message text, so
 * that the same line delivered again gets the same id and is stored once.
 */
export const linuxAuthNormalizer: SourceNormalizer = {
  format: 'linux-auth',

  detects(value: unknown): boolean {
    return unwrapLine(value) !== null;
  },

  normalize(value: unknown, raw: string, context: NormalizeContext, sink: RecordSink): void {
    const wrapped = unwrapLine(value);
    if (wrapped === null) {
      sink.reject('invalid_record', 'expected a syslog line, or a JSON object holding one (MESSAGE, message, log)', raw);
      return;
    }
    normalizeWrapped(wrapped, raw, context, sink);
  },

  detectsText(line: string): boolean {
    return looksLikeSyslog(line);
  },

  normalizeText(line: string, context: NormalizeContext, sink: RecordSink): void {
    const parsed = parseSyslogLine(line);
    if (parsed === null) {
      sink.reject('unrecognized_line', 'not a syslog line (RFC 3164 or RFC 5424 header)', line);
      return;
    }
    normalizeLine(parsed, () => headerTime(parsed.timestamp, context, context.now), line, sink);
  },
};

interface LineFacts {
  host: string | null;
  program: string | null;
  pid: string | null;
  message: string;
}

function normalizeWrapped(wrapped: WrappedLine, raw: string, context: NormalizeContext, sink: RecordSink): void {
  const line = looksLikeSyslog(wrapped.message) ? parseSyslogLine(wrapped.message) : null;
  if (line !== null) {
    // the line's own header wins; the shipper's time only anchors the year of an RFC 3164 line
    const facts: LineFacts = { host: line.host ?? wrapped.host, program: line.program ?? wrapped.program, pid: line.pid ?? wrapped.pid, message: line.message };
    normalizeLine(facts, () => headerTime(line.timestamp, context, readingTime(wrapped, context)), raw, sink);
    return;
  }
  normalizeLine(wrapped, () => wrapperTime(wrapped, context), raw, sink);
}

/** The time is read only once the line is known to be an event: a cron line's odd timestamp is not the reason it is refused. */
function normalizeLine(line: LineFacts, time: () => EventTimeResult, raw: string, sink: RecordSink): void {
  let message = line.message.trim();
  if (message.length > MAX_AUTH_MESSAGE_LENGTH) {
    sink.reject('unrecognized_line', `the message has ${message.length} characters, more than any auth log message (${MAX_AUTH_MESSAGE_LENGTH})`, raw);
    return;
  }
  let repeat = 0;
  const repeated = REPEATED.exec(message);
  if (repeated !== null) {
    repeat = Number(repeated[1]);
    if (repeat < 1 || repeat > MAX_REPEAT) {
      sink.reject('invalid_record', `"message repeated ${repeated[1]} times" is not a plausible count (1-${MAX_REPEAT})`, raw);
      return;
    }
    message = repeated[2]!.trim();
  }
  const parsed = parseAuthMessage(line.program, message);
  if (parsed.kind === 'unsupported') return sink.reject('unsupported_event', parsed.message, raw);
  if (parsed.kind === 'unrecognized') return sink.reject('unrecognized_line', parsed.message, raw);
  if (parsed.kind === 'ignored') return sink.reject('ignored_line', parsed.message, raw);
  const when = time();
  if (!when.ok) return sink.reject(when.reason, `time: ${when.message}`, raw);

  const host = hostKey(line.host);
  const baseId = `${host}/${when.iso}/${line.pid ?? '-'}/${textDigest(`${line.program ?? ''}\n${line.message.trim()}`)}`;
  if (repeat === 0) {
    sink.accept(buildEvent(parsed.fact, baseId, when.iso, host, raw));
    return;
  }
  // rsyslog folded this many further copies of the message into one line: each was an attempt
  for (let k = 1; k <= repeat; k++) sink.accept(buildEvent(parsed.fact, `${baseId}#${k}`, when.iso, host, raw));
}

function buildEvent(fact: AuthFact, id: string, time: string, host: string, raw: string): NormalizedEvent {
  const user = userName(fact.user);
  const placeholder = user === EMPTY_USER || user === UNKNOWN_USER;
  const subject = `linux:${host}:${user}`;
  const peer = peerAddress(fact.peer);
  return {
    schema_version: LEDGER_EVENT_SCHEMA_VERSION,
    id,
    category: fact.category,
    type: fact.type,
    time,
    actor: {
      subject,
      principal: user,
      kind: actorKind(fact, user, placeholder),
      via: null,
      attribution: placeholder || fact.unverifiedUser || fact.claimOnly ? 'unresolved' : 'direct',
      credential_id: fact.credentialId,
      session_name: null,
    },
    authentication: fact.authentication === null ? null : { factors: fact.authentication.factors.map((f) => ({ ...f })), mfa: fact.authentication.mfa },
    action: fact.action,
    target: target(fact, host),
    outcome: fact.outcome,
    outcome_reason: fact.reason,
    source: { ip: peer.ip, service: null, user_agent: null, host: peer.host, geo: null },
    origin: { system: LINUX_AUTH_SYSTEM, account: null, region: null, kafka: null },
    raw,
  };
}

/** Names as written (NFC, trap 11); blank names and absent names become placeholders that no account can have. */
function userName(user: string | null): string {
  if (user === null) return UNKNOWN_USER;
  if (user.trim() === '') return EMPTY_USER;
  return nfc(user);
}

/**
 * root (by name or uid 0) is kind root: on a Linux host root is the shared superuser, so a
 * direct root login matters. An account sshd says does not exist is unknown; uids below 1000
 * are system accounts, and background sessions (cron) are the system's.
 */
function actorKind(fact: AuthFact, user: string, placeholder: boolean): ActorKind {
  if (placeholder || fact.unverifiedUser) return 'unknown';
  if (fact.background) return 'service';
  if (user === 'root' || fact.uid === 0) return 'root';
  if (fact.uid !== null && fact.uid < 1000) return 'service';
  return 'human';
}

function target(fact: AuthFact, host: string): Target {
  switch (fact.target.kind) {
    case 'run_as':
      return { type: 'linux:run_as', id: `linux:${host}:${userName(fact.target.user)}`, name: fact.target.command === null ? null : nfc(fact.target.command) };
    case 'user':
      return { type: 'linux:user', id: `linux:${host}:${userName(fact.target.user)}`, name: nfc(fact.target.user) };
    default:
      return { type: 'linux:host', id: host, name: null };
  }
}

/** Host names are case-insensitive (lower-cased); an IPv6 host is bracketed so that the subject stays readable. */
function hostKey(host: string | null): string {
  if (host === null || host.trim() === '' || host === NO_HOST) return NO_HOST;
  const text = host.trim();
  const ip = canonicalIp(text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text);
  if (ip !== null) return isIP(ip) === 6 ? `[${ip}]` : ip;
  return nfc(text.toLowerCase());
}

/** The peer sshd or PAM names: an IP (canonical form) or, with UseDNS, a host name. */
function peerAddress(peer: string | null): { ip: string | null; host: string | null } {
  if (peer === null || peer === '') return { ip: null, host: null };
  const bare = peer.startsWith('[') && peer.endsWith(']') ? peer.slice(1, -1) : peer;
  const ip = canonicalIp(bare);
  return ip !== null ? { ip, host: null } : { ip: null, host: nfc(peer) };
}

// ---------------------------------------------------------------------------------------- time

function headerTime(timestamp: SyslogLine['timestamp'], context: NormalizeContext, reference: number): EventTimeResult {
  if (timestamp === null) return { ok: false, reason: 'missing_event_time', message: 'the line has no timestamp' };
  if (timestamp.kind === 'rfc3339') return parseEventTime(timestamp.text, context);
  const result = parseSyslogTimestamp(timestamp.text, { now: reference, utcOffsetMinutes: context.syslogUtcOffsetMinutes });
  // the year came from the reading time; the line must still be plausible against the ledger's now
  if (result.ok && result.epochMs > context.now + MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: 'invalid_event_time', message: `syslog timestamp ${JSON.stringify(timestamp.text)} is more than a day in the future` };
  }
  return result;
}

/** When the shipper read the line (journald, Vector), if it says so plausibly; else now. */
function readingTime(wrapped: WrappedLine, context: NormalizeContext): number {
  const read = wrapperTime(wrapped, context);
  return read.ok ? read.epochMs : context.now;
}

/**
 * The wrapper's time: journald microseconds, epoch seconds / milliseconds / microseconds
 * (told apart by magnitude), RFC 3339 text, or an RFC 3164 timestamp.
 */
function wrapperTime(wrapped: WrappedLine, context: NormalizeContext): EventTimeResult {
  const value = wrapped.time;
  if (value === undefined || value === null || value === '') return { ok: false, reason: 'missing_event_time', message: 'no timestamp in the line or its wrapper' };
  if (wrapped.timeInMicroseconds) {
    const micros = Number(value);
    return Number.isFinite(micros) ? eventTimeFromEpochMillis(Math.trunc(micros / 1000), context) : invalidTime(value);
  }
  if (typeof value === 'number') return epochByMagnitude(value, context);
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{9,17}(?:\.\d+)?$/.test(text)) return epochByMagnitude(Number(text), context);
    if (/^[A-Z][a-z]{2} {1,2}\d/.test(text)) return parseSyslogTimestamp(text, { now: context.now, utcOffsetMinutes: context.syslogUtcOffsetMinutes });
    return parseEventTime(text, context);
  }
  return invalidTime(value);
}

function epochByMagnitude(value: number, context: NormalizeContext): EventTimeResult {
  if (!Number.isFinite(value)) return invalidTime(value);
  const magnitude = Math.abs(value);
  const millis = magnitude < 1e11 ? value * 1000 : magnitude < 1e14 ? value : value / 1000;
  return eventTimeFromEpochMillis(Math.trunc(millis), context);
}

function invalidTime(value: unknown): EventTimeResult {
  return { ok: false, reason: 'invalid_event_time', message: `unreadable timestamp ${JSON.stringify(value)?.slice(0, 64) ?? String(value)}` };
}
