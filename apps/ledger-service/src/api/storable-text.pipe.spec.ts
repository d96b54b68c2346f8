import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '#domain';
import { StorableTextPipe } from './storable-text.pipe.js';

describe('StorableTextPipe', () => {
  const pipe = new StorableTextPipe();

  it('refuses U+0000 in a path or query value, naming the parameter', () => {
    expect(() => pipe.transform('a\u0000b', { type: 'param', data: 'id' })).toThrow(new InvalidArgumentError('id', 'id must not contain U+0000'));
    expect(() => pipe.transform({ subject: 'x', cursor: '\u0000' }, { type: 'query' })).toThrow(/cursor must not contain/);
  });

  it('passes everything else through untouched, bodies included', () => {
    const hostile = "x' OR '1'='1 ../../ %00 😀";
    expect(pipe.transform(hostile, { type: 'param', data: 'subject' })).toBe(hostile);
    const body = { text: 'a\u0000b' };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform(undefined, { type: 'query', data: 'format' })).toBeUndefined();
  });
});
