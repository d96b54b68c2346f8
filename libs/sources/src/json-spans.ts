/**
 * Finds where JSON values sit in their source text, so that a record taken out of a batch
 * (`{"Records":[...]}`, a top-level array) keeps its exact original bytes as `raw` instead of
 * a re-serialization that would lose spacing, escapes and key order.
 *
 * The scanner only delimits values; it does not validate them. Callers run it on text that
 * `JSON.parse` has already accepted, and treat a `null` answer as a bug, not as bad input.
 * It is iterative (no recursion), so deeply nested input cannot overflow the stack.
 */

/** Half-open range `[start, end)` of one JSON value in the scanned text. */
export interface JsonSpan {
  readonly start: number;
  readonly end: number;
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** JSON's four whitespace characters (RFC 8259 section 2); nothing else counts. */
export function isJsonWhitespace(code: number): boolean {
  return code === SPACE || code === LF || code === CR || code === TAB;
}

export function skipWhitespace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isJsonWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** The text without leading and trailing JSON whitespace, as a span. */
export function trimmedSpan(text: string): JsonSpan {
  const start = skipWhitespace(text, 0);
  let end = text.length;
  while (end > start && isJsonWhitespace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

/** Index just after the closing quote of the string that opens at `quoteAt`, or -1. */
function stringEnd(text: string, quoteAt: number): number {
  let from = quoteAt + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    // a quote preceded by an odd number of backslashes is escaped
    let backslashes = 0;
    for (let b = quote - 1; b > quoteAt && text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
    if ((backslashes & 1) === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Index just after the JSON value that starts at `start` (no leading whitespace), or -1. */
export function valueEnd(text: string, start: number): number {
  if (start >= text.length) return -1;
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start);
  if (first === LBRACE || first === LBRACKET) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        const end = stringEnd(text, i);
        if (end < 0) return -1;
        i = end - 1;
      } else if (code === LBRACE || code === LBRACKET) {
        depth++;
      } else if (code === RBRACE || code === RBRACKET) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  // number, true, false, null: up to the next structural character or whitespace
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === COMMA || code === RBRACE || code === RBRACKET || code === COLON || isJsonWhitespace(code)) break;
    i++;
  }
  return i > start ? i : -1;
}

/** Spans of the elements of the array that opens at `arrayStart`, or null if it is not one. */
export function arrayElementSpans(text: string, arrayStart: number): JsonSpan[] | null {
  return scanArray(text, arrayStart)?.spans ?? null;
}

function scanArray(text: string, arrayStart: number): { spans: JsonSpan[]; end: number } | null {
  if (text.charCodeAt(arrayStart) !== LBRACKET) return null;
  const spans: JsonSpan[] = [];
  let i = skipWhitespace(text, arrayStart + 1);
  if (text.charCodeAt(i) === RBRACKET) return { spans, end: i + 1 };
  for (;;) {
    const end = valueEnd(text, i);
    if (end < 0) return null;
    spans.push({ start: i, end });
    i = skipWhitespace(text, end);
    const code = text.charCodeAt(i);
    if (code === COMMA) {
      i = skipWhitespace(text, i + 1);
    } else if (code === RBRACKET) {
      return { spans, end: i + 1 };
    } else {
      return null;
    }
  }
}

/**
 * Span of the value of member `key` in the object that opens at `objectStart`. With duplicate
 * keys the last one wins, as in `JSON.parse`, so the span always matches the parsed value.
 */
export function memberValueSpan(text: string, objectStart: number, key: string): JsonSpan | null {
  return scanMember(text, objectStart, key, false)?.span ?? null;
}

/** Spans of the elements of the array member `key` (last occurrence), in one pass over the text. */
export function memberArrayElementSpans(text: string, objectStart: number, key: string): JsonSpan[] | null {
  return scanMember(text, objectStart, key, true)?.elements ?? null;
}

function scanMember(text: string, objectStart: number, key: string, elements: boolean): { span: JsonSpan; elements: JsonSpan[] | null } | null {
  if (text.charCodeAt(objectStart) !== LBRACE) return null;
  let found: { span: JsonSpan; elements: JsonSpan[] | null } | null = null;
  let i = skipWhitespace(text, objectStart + 1);
  if (text.charCodeAt(i) === RBRACE) return null;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return null;
    const keyEnd = stringEnd(text, i);
    if (keyEnd < 0) return null;
    const matches = keyEquals(text, i, keyEnd, key);
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return null;
    i = skipWhitespace(text, i + 1);
    let end: number;
    if (matches && elements && text.charCodeAt(i) === LBRACKET) {
      const array = scanArray(text, i);
      if (array === null) return null;
      found = { span: { start: i, end: array.end }, elements: array.spans };
      end = array.end;
    } else {
      end = valueEnd(text, i);
      if (end < 0) return null;
      if (matches) found = { span: { start: i, end }, elements: null };
    }
    i = skipWhitespace(text, end);
    const code = text.charCodeAt(i);
    if (code === COMMA) {
      i = skipWhitespace(text, i + 1);
    } else if (code === RBRACE) {
      return found;
    } else {
      return null;
    }
  }
}

/** Compares a quoted key with `key`, decoding escapes (`"\u0052ecords"` is `Records`) only when present. */
function keyEquals(text: string, quoteAt: number, keyEnd: number, key: string): boolean {
  const inner = text.slice(quoteAt + 1, keyEnd - 1);
  if (!inner.includes('\\')) return inner === key;
  try {
    return JSON.parse(text.slice(quoteAt, keyEnd)) === key;
  } catch {
    return false;
  }
}
