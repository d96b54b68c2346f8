import type { Pool } from './database.js';

export interface StoredRejection {
  id: number;
  receivedAt: string;
  channel: string;
  reason: string;
  message: string;
  recordIndex: number | null;
  kafka: { topic: string; partition: number; offset: string } | null;
  headers: Record<string, string>;
  raw: Buffer;
}

const READ_AFTER = `
  SELECT id, received_at, channel, reason, message, record_index, kafka_topic, kafka_partition, kafka_offset, headers, raw
  FROM ledger_rejections WHERE id > $1 ORDER BY id LIMIT $2`;

/**
 * Rejected records, read in id order by the DLQ relay. Rejections are written only inside
 * an append, which holds the ledger head lock until commit (migration 0001), so ids become
 * visible in order and a relay reading `id > last` never skips one that commits late.
 */
export class RejectionRepository {
  constructor(private readonly pool: Pool) {}

  async readAfter(afterId: number, limit: number): Promise<StoredRejection[]> {
    const { rows } = await this.pool.query(READ_AFTER, [afterId, limit]);
    return rows.map((row) => ({
      id: Number(row.id),
      receivedAt: (row.received_at as Date).toISOString(),
      channel: row.channel,
      reason: row.reason,
      message: row.message,
      recordIndex: row.record_index,
      kafka: row.kafka_topic ? { topic: row.kafka_topic, partition: row.kafka_partition, offset: String(row.kafka_offset) } : null,
      headers: row.headers ?? {},
      raw: row.raw,
    }));
  }
}
