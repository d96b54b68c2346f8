import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './ledger-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/ledger');
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.http.port).toBe(3000);
    expect(config.kafka.topics.inputs.authentication).toBe('ledger.authentication');
    expect(config.kafka.topics.dlq).toBe('ledger.dlq');
  });

  it('reads overrides and splits broker lists', () => {
    const config = loadConfig({ PORT: '8080', KAFKA_BROKERS: 'a:9092,b:9093', LEDGER_TOPIC_DLQ: 'x.dlq' });
    expect(config.http.port).toBe(8080);
    expect(config.kafka.brokers).toEqual(['a:9092', 'b:9093']);
    expect(config.kafka.topics.dlq).toBe('x.dlq');
  });

  it('names every invalid variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', KAFKA_BROKERS: 'nohost' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      expect(text).toContain('PORT');
      expect(text).toContain('DATABASE_URL');
      expect(text).toContain('KAFKA_BROKERS');
    }
  });

  describe('ingest workers', () => {
    it('consume Kafka in the service process unless workers are asked for', () => {
      const config = loadConfig({});
      expect(config.ingest.workers).toBe(0);
      expect(config.processRole).toBe('service');
      expect(loadConfig({ LEDGER_INGEST_WORKERS: '2' }).ingest.workers).toBe(2);
    });

    it('refuses a count that is not a whole number from 0 to 64', () => {
      for (const bad of ['-1', 'two', '1.5', '65']) {
        expect(() => loadConfig({ LEDGER_INGEST_WORKERS: bad }), bad).toThrow(/LEDGER_INGEST_WORKERS/);
      }
    });

    it('refuses workers when ingestion is disabled, since a worker does nothing else', () => {
      expect(() => loadConfig({ LEDGER_INGEST_WORKERS: '1', LEDGER_INGEST_ENABLED: 'false' })).toThrow(/LEDGER_INGEST_WORKERS: must be 0 when LEDGER_INGEST_ENABLED is false/);
      expect(loadConfig({ LEDGER_INGEST_WORKERS: '0', LEDGER_INGEST_ENABLED: 'false' }).kafka.ingestEnabled).toBe(false);
    });

    it('knows the worker role the service gives its workers, and nothing else', () => {
      expect(loadConfig({ LEDGER_PROCESS_ROLE: 'ingest-worker' }).processRole).toBe('ingest-worker');
      expect(() => loadConfig({ LEDGER_PROCESS_ROLE: 'primary' })).toThrow(/LEDGER_PROCESS_ROLE/);
    });
  });

  it('leaves the reader polling intervals to each reader unless one is set', () => {
    expect(loadConfig({}).readers.pollIntervalMs).toBeNull();
    expect(loadConfig({ LEDGER_READER_POLL_INTERVAL_MS: '60000' }).readers.pollIntervalMs).toBe(60_000);
    expect(() => loadConfig({ LEDGER_READER_POLL_INTERVAL_MS: '0' })).toThrow(/LEDGER_READER_POLL_INTERVAL_MS/);
  });
});
