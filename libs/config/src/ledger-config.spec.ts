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
});
