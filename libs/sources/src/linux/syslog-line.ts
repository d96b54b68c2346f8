/**
 * The header of a syslog line, in the three shapes auth logs are written in:
 *
 * - RFC 3164 / BSD, as rsyslog writes `/var/log/auth.log` and `/var/log/secure`:
 *   `[<PRI>]Nov  2 08:15:03 host sshd[123]: message` (no year, no zone);
 * - the same with an RFC 3339 timestamp (rsyslog's high-precision file format):
 *   `2026-11-02T08:15:03.123456+01:00 host sshd[123]: message`;
 * - RFC 5424: `<38>1 2026-11-02T08:15:03.123+01:00 host sshd 123 - - message`.
 *
 * Parsing is linear in the line length (no backtracking regular expressions over text that a
 * remote user controls), and never throws.
 */
export interface SyslogLine {
  /** The timestamp as written; `rfc3164` carries no year and no zone. Null for RFC 5424's nil value. */
  timestamp: { kind: 'rfc3164' | 'rfc3339'; text: string } | null;
  /** Null when the line names no host (RFC 5424 nil value, or a local-socket line without one). */
  host: string | null;
  /** The tag or APP-NAME (`sshd`, `sudo`), null when the line has none. */
  program: string | null;
  pid: string | null;
  message: string;
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const BSD_HEADER = new RegExp(`^(?:<\\d{1,3}>)?((?:${MONTHS}) {1,2}\\d{1,2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?) `);
const ISO_HEADER = /^(?:<\d{1,3}>)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,12})?(?:Z|[+-]\d{2}:?\d{2})?) /;
const RFC5424_HEADER = /^<\d{1,3}>\d{1,2} (\S{1,64}) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32})(?: |$)/;
// TAG[PID]: or TAG: (the tag is at most 32 characters per RFC 3164; allow more, bounded)
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\]\s]{1,32})\])?:(?: |$)/;
const LOOKS_LIKE_TAG = /^[^\s[\]:]{1,128}(?:\[[^\]\s]{1,32}\])?:$/;
const NIL = '-';
const BOM = '\uFEFF';

/** Cheap check used for framing: does the line start with a syslog header? */
export function looksLikeSyslog(line: string): boolean {
  return BSD_HEADER.test(line) || ISO_HEADER.test(line) || RFC5424_HEADER.test(line);
}

export function parseSyslogLine(line: string): SyslogLine | null {
  const rfc5424 = RFC5424_HEADER.exec(line);
  if (rfc5424 !== null) {
    const [header, timestamp, host, app, procid] = rfc5424;
    return {
      timestamp: timestamp === NIL ? null : { kind: 'rfc3339', text: timestamp! },
      host: host === NIL ? null : host!,
      program: app === NIL ? null : app!,
      pid: procid === NIL ? null : procid!,
      message: afterStructuredData(line, header.length),
    };
  }
  const bsd = BSD_HEADER.exec(line);
  const iso = bsd === null ? ISO_HEADER.exec(line) : null;
  const header = bsd ?? iso;
  if (header === null) return null;
  const timestamp = { kind: bsd !== null ? ('rfc3164' as const) : ('rfc3339' as const), text: header[1]! };
  let rest = line.slice(header[0].length);
  // a line written to a local socket has no host: the tag follows the timestamp
  let host: string | null = null;
  const space = rest.indexOf(' ');
  const first = space < 0 ? rest : rest.slice(0, space);
  if (!LOOKS_LIKE_TAG.test(first)) {
    host = first === '' ? null : first;
    rest = space < 0 ? '' : rest.slice(space + 1);
  }
  const tag = TAG.exec(rest);
  if (tag === null) return { timestamp, host, program: null, pid: null, message: rest };
  return { timestamp, host, program: tag[1]!, pid: tag[2] ?? null, message: rest.slice(tag[0].length) };
}

/** Skips RFC 5424 STRUCTURED-DATA (`-` or `[id k="v" ...]...`) and the UTF-8 byte order mark of MSG. */
function afterStructuredData(line: string, from: number): string {
  let i = from;
  if (line.charCodeAt(i) === 0x2d /* - */) {
    i++;
  } else {
    while (line.charCodeAt(i) === 0x5b /* [ */) {
      // an element ends at the first "]" outside a quoted PARAM-VALUE, where \" \\ \] are escapes
      let quoted = false;
      i++;
      for (; i < line.length; i++) {
        const code = line.charCodeAt(i);
        if (code === 0x5c /* \ */) i++;
        else if (code === 0x22 /* " */) quoted = !quoted;
        else if (code === 0x5d /* ] */ && !quoted) break;
      }
      i++;
    }
  }
  if (line.charCodeAt(i) === 0x20) i++;
  const message = i >= line.length ? '' : line.slice(i);
  return message.startsWith(BOM) ? message.slice(1) : message;
}
