import { isJsonObject, objectField, stringField, textField, type JsonObject } from '../json-value.js';
import { isAuthProgram } from './auth-messages.js';
import { looksLikeSyslog } from './syslog-line.js';

/**
 * A syslog line as log shippers wrap it in JSON:
 *
 * - journald (`journalctl -o json`): `MESSAGE`, `_HOSTNAME`, `SYSLOG_IDENTIFIER`, `_PID`,
 *   `__REALTIME_TIMESTAMP` (microseconds since the epoch, as a string);
 * - Vector, Fluent Bit, Logstash/ECS and similar: `message` (or `log`, `msg`) holding either the
 *   whole syslog line or only its message, with `host`/`hostname`, `appname`/`ident`/`program`,
 *   `procid`/`pid` and `timestamp`/`@timestamp`/`time` beside it.
 *
 * When the message is a whole syslog line, the line's own header wins over the wrapper's
 * fields: a shipper's `host` and `timestamp` are often its own, not the source's.
 */
export interface WrappedLine {
  message: string;
  host: string | null;
  program: string | null;
  pid: string | null;
  /** The wrapper's time value as given (ISO text, epoch number, journald microseconds). */
  time: unknown;
  /** `__REALTIME_TIMESTAMP` semantics: microseconds since the epoch. */
  timeInMicroseconds: boolean;
}

const MESSAGE_KEYS = ['MESSAGE', 'message', 'log', 'msg'] as const;
const HOST_KEYS = ['_HOSTNAME', 'hostname', 'HOSTNAME', 'host'] as const;
const PROGRAM_KEYS = ['SYSLOG_IDENTIFIER', 'appname', 'app_name', 'ident', 'program', 'programname', 'syslog_identifier'] as const;
const PID_KEYS = ['_PID', 'SYSLOG_PID', 'procid', 'pid'] as const;
const TIME_KEYS = ['timestamp', '@timestamp', 'time', 'date', 'SYSLOG_TIMESTAMP'] as const;
const MAX_JOURNAL_BYTES = 1 << 20;

/** The wrapped line, or null when the object is not a shipped auth log line. */
export function unwrapLine(value: unknown): WrappedLine | null {
  if (!isJsonObject(value)) return null;
  const message = messageOf(value);
  if (message === null) return null;
  const process = objectField(value, 'process');
  const program = firstText(value, PROGRAM_KEYS) ?? stringField(process, 'name') ?? stringField(value, '_COMM');
  if (!looksLikeSyslog(message) && !(program !== null && isAuthProgram(program)) && !message.startsWith('pam_')) return null;
  const host = firstText(value, HOST_KEYS) ?? hostObjectName(value.host);
  const pid = firstText(value, PID_KEYS) ?? textField(process, 'pid');
  const realtime = textField(value, '__REALTIME_TIMESTAMP');
  return {
    message,
    host,
    program,
    pid,
    time: realtime ?? firstDefined(value, TIME_KEYS),
    timeInMicroseconds: realtime !== null,
  };
}

function messageOf(value: JsonObject): string | null {
  for (const key of MESSAGE_KEYS) {
    const message = value[key];
    if (typeof message === 'string' && message.trim() !== '') return message;
    // journald writes a MESSAGE that is not valid UTF-8 as an array of byte values
    if (key === 'MESSAGE' && Array.isArray(message) && message.length > 0 && message.length <= MAX_JOURNAL_BYTES) {
      if (!message.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return null;
      return new TextDecoder('utf-8').decode(Uint8Array.from(message as number[]));
    }
  }
  return null;
}

function firstText(value: JsonObject, keys: readonly string[]): string | null {
  for (const key of keys) {
    const text = textField(value, key)?.trim();
    if (text) return text;
  }
  return null;
}

function firstDefined(value: JsonObject, keys: readonly string[]): unknown {
  for (const key of keys) {
    if (value[key] !== undefined && value[key] !== null) return value[key];
  }
  return undefined;
}

/** ECS puts the host in an object: `host.hostname` or `host.name`. */
function hostObjectName(host: unknown): string | null {
  if (!isJsonObject(host)) return null;
  return stringField(host, 'hostname') ?? stringField(host, 'name');
}
