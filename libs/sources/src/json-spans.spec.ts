import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElementSpans, memberValueSpan, trimmedSpan, valueEnd } from './json-spans.js';

const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('json spans', () => {
  it('delimits array elements exactly, whatever the spacing, escapes and nesting', () => {
    const text = '[ {"a":"x\\"]}"} ,\n\t[1,[2]] ,"s\\\\",  -1.5e3 ,true,null ]';
    const spans = arrayElementSpans(text, 0)!;
    expect(spans.map((s) => slice(text, s))).toEqual(['{"a":"x\\"]}"}', '[1,[2]]', '"s\\\\"', '-1.5e3', 'true', 'null']);
  });

  it('finds the last occurrence of a member, as JSON.parse does, including escaped keys', () => {
    const text = '{"Records":[1], "x":{"Records":[9]}, "\\u0052ecords" : [ 2 , 3 ]}';
    const span = memberValueSpan(text, 0, 'Records')!;
    expect(slice(text, span)).toBe('[ 2 , 3 ]');
    expect(JSON.parse(slice(text, span))).toEqual(JSON.parse(text).Records);
  });

  it('answers null for text that is not the expected container', () => {
    expect(arrayElementSpans('{"a":1}', 0)).toBeNull();
    expect(memberValueSpan('[1]', 0, 'a')).toBeNull();
    expect(memberValueSpan('{"a":1}', 0, 'b')).toBeNull();
    expect(valueEnd('"unterminated', 0)).toBe(-1);
    expect(arrayElementSpans('[1, 2', 0)).toBeNull();
  });

  it('trims only JSON whitespace', () => {
    const text = ' \r\n\t{"a":1}\u00a0\n';
    const span = trimmedSpan(text);
    expect(slice(text, span)).toBe('{"a":1}\u00a0');
  });

  it('agrees with JSON.parse on every element of any array, printed with any indentation', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 8 }), fc.constantFrom(0, 1, 2, '\t', ' \n '), (values, indent) => {
        const text = JSON.stringify(values, null, indent as number | string);
        const spans = arrayElementSpans(text, 0);
        expect(spans).not.toBeNull();
        expect(spans!.map((s) => JSON.parse(slice(text, s)))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});
