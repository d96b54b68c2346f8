import { describe, expect, it } from 'vitest';
import { selectProcessRole } from './process-role.js';

describe('selectProcessRole', () => {
  it('is the service unless the service itself forked this process as an ingest worker', () => {
    expect(selectProcessRole('service', false)).toBe('service');
    expect(selectProcessRole('ingest-worker', true)).toBe('ingest-worker');
  });

  it('stays the service when a process manager runs the service as a cluster worker', () => {
    expect(selectProcessRole('service', true)).toBe('service');
  });

  it('refuses the worker role without a primary to report to', () => {
    expect(() => selectProcessRole('ingest-worker', false)).toThrow(/set LEDGER_INGEST_WORKERS instead/);
  });
});
