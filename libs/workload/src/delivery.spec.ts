import { describe, expect, it } from 'vitest';
import { generateWorkload, toCloudTrailDeliveryFiles, toNdjson } from './index.js';

const { records } = generateWorkload({ subjects: 8, end: '2026-11-02T04:00:00Z' });

describe('toNdjson', () => {
  it('writes one parseable record per line, in order, newline-terminated', () => {
    const text = toNdjson(records);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(records.length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(records);
  });

  it('writes nothing for no records', () => {
    expect(toNdjson([])).toBe('');
  });
});

describe('toCloudTrailDeliveryFiles', () => {
  it('splits records into {Records: [...]} files of the requested size, keeping order', () => {
    const files = toCloudTrailDeliveryFiles(records, 40);
    expect(files).toHaveLength(Math.ceil(records.length / 40));
    for (const f of files.slice(0, -1)) expect(f.Records).toHaveLength(40);
    expect(files.flatMap((f) => f.Records)).toEqual(records);
    expect(Object.keys(files[0])).toEqual(['Records']);
  });

  it('rejects a non-positive file size', () => {
    expect(() => toCloudTrailDeliveryFiles(records, 0)).toThrow(RangeError);
    expect(() => toCloudTrailDeliveryFiles(records, 2.5)).toThrow(RangeError);
  });
});
