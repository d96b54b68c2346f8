import { trimmedSpan } from './json-spans.js';

/**
 * Turns message bytes into the text units that hold records: one JSON document, or the lines
 * of an NDJSON batch. Framing is decided per message and never throws; a unit that is not
 * JSON carries the parser's error so that it can be rejected on its own.
 */
export interface TextUnit {
  /** The unit's text without surrounding whitespace: a record's `raw` is a slice of it. */
  text: string;
  /** 1-based line number in an NDJSON batch; null for a single document. */
  line: number | null;
  parsed: boolean;
  value: unknown;
  /** JSON parser message when `parsed` is false. */
  error: string | null;
  /** The unit's bytes are not valid UTF-8 (its `text` is a lossy decoding). */
  badEncoding: boolean;
}

export type Framing = { mode: 'single'; unit: TextUnit } | { mode: 'lines'; units: TextUnit[] };

export type DecodedBody =
  | { ok: true; text: string }
  /** Not valid UTF-8 as a whole: the lossy text, and the body's lines decoded one by one. */
  | { ok: false; text: string; lines: TextUnit[] };

// fatal: bad UTF-8 must be reported, never silently replaced in what becomes `raw`;
// the default ignoreBOM=false strips a leading byte order mark
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LENIENT_UTF8 = new TextDecoder('utf-8');

export function decodeBody(body: Uint8Array | string): DecodedBody {
  if (typeof body === 'string') return { ok: true, text: body.charCodeAt(0) === 0xfeff ? body.slice(1) : body };
  try {
    return { ok: true, text: STRICT_UTF8.decode(body) };
  } catch {
    return { ok: false, text: LENIENT_UTF8.decode(body), lines: decodeLines(body) };
  }
}

/** A message's bytes line by line, so that one bad line in a batch does not sink the others. */
function decodeLines(body: Uint8Array): TextUnit[] {
  const units: TextUnit[] = [];
  let start = 0;
  let line = 1;
  while (start <= body.length) {
    let end = body.indexOf(0x0a, start);
    if (end < 0) end = body.length;
    const bytes = body.subarray(start, end);
    let unit: TextUnit;
    try {
      unit = parseUnit(trim(STRICT_UTF8.decode(bytes)), line);
    } catch {
      unit = { text: trim(LENIENT_UTF8.decode(bytes)), line, parsed: false, value: undefined, error: null, badEncoding: true };
    }
    if (unit.text !== '') units.push(unit);
    start = end + 1;
    line++;
  }
  return units;
}

/**
 * One document, or NDJSON. A first line that is a complete JSON object or array cannot start
 * a single multi-line document, so the batch case is decided without parsing the whole text
 * twice. Otherwise the whole text is parsed; if that fails, the text is read as lines only
 * when some line holds a JSON object or array (or a line a text format accepts), so that one
 * broken pretty-printed document yields one rejection, not one per line.
 */
export function frameText(text: string, acceptsTextLine: (line: string) => boolean): Framing {
  const span = trimmedSpan(text);
  const body = span.start === 0 && span.end === text.length ? text : text.slice(span.start, span.end);
  const newline = body.indexOf('\n');
  if (newline < 0) return { mode: 'single', unit: parseUnit(body, null) };

  const firstLine = trim(body.slice(0, newline));
  const opener = firstLine.charCodeAt(0);
  if (opener === 0x7b || opener === 0x5b) {
    const first = parseUnit(firstLine, 1);
    if (first.parsed && isContainer(first.value)) return { mode: 'lines', units: splitLines(body, first) };
  }
  const whole = parseUnit(body, null);
  if (whole.parsed) return { mode: 'single', unit: whole };
  const units = splitLines(body, null);
  if (units.some((u) => (u.parsed && isContainer(u.value)) || (!u.parsed && acceptsTextLine(u.text)))) {
    return { mode: 'lines', units };
  }
  return { mode: 'single', unit: whole };
}

/** Re-frames lines decoded one by one (bad UTF-8), under the same rule as frameText. */
export function frameDecodedLines(lines: TextUnit[], acceptsTextLine: (line: string) => boolean): Framing | null {
  if (lines.length < 2) return null;
  const recognisable = lines.some((u) => (u.parsed && isContainer(u.value)) || (!u.parsed && !u.badEncoding && acceptsTextLine(u.text)));
  return recognisable ? { mode: 'lines', units: lines } : null;
}

function splitLines(body: string, first: TextUnit | null): TextUnit[] {
  const units: TextUnit[] = [];
  let start = 0;
  let line = 1;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    if (line === 1 && first !== null) {
      units.push(first);
    } else {
      const text = trim(body.slice(start, end));
      if (text !== '') units.push(parseUnit(text, line));
    }
    start = end + 1;
    line++;
  }
  return units;
}

function parseUnit(text: string, line: number | null): TextUnit {
  // a JSON text starts with one of {["-0123456789tfn; anything else (a syslog line) is refused
  // without JSON.parse, whose thrown error costs more than normalizing the line itself
  const first = text.charCodeAt(0);
  if (text !== '' && !JSON_START.has(first)) {
    return { text, line, parsed: false, value: undefined, error: `Unexpected token '${text[0]}' at position 0: not JSON`, badEncoding: false };
  }
  try {
    return { text, line, parsed: true, value: JSON.parse(text), error: null, badEncoding: false };
  } catch (error) {
    return { text, line, parsed: false, value: undefined, error: (error as Error).message, badEncoding: false };
  }
}

const JSON_START = new Set([...'{["-0123456789tfn'].map((c) => c.charCodeAt(0)));

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function trim(text: string): string {
  const span = trimmedSpan(text);
  return span.start === 0 && span.end === text.length ? text : text.slice(span.start, span.end);
}
