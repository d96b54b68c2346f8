import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository (test data only; the product never reads it). */
export const SHARED_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/data');

export function sharedDataAvailable(): boolean {
  return existsSync(SHARED_DATA);
}

export function stratusFiles(): string[] {
  const folder = join(SHARED_DATA, 'cloudtrail/stratus');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .map((name) => join(folder, name));
}

/** Every record of every Stratus file, parsed, with the file it came from. */
export function stratusRecords(): Array<{ file: string; line: string; record: Record<string, any> }> {
  return stratusFiles().flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => ({ file, line, record: JSON.parse(line) })),
  );
}
