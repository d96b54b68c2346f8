import type { Pool } from './database.js';

const SELECT_CHECKPOINT = 'SELECT position FROM ledger_reader_checkpoints WHERE reader = $1';
const SAVE_CHECKPOINT = `
  INSERT INTO ledger_reader_checkpoints (reader, position) VALUES ($1, $2)
  ON CONFLICT (reader) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`;

/** Where each position-driven reader (DLQ relay, projections, anomaly output) resumes. */
export class ReaderCheckpointRepository {
  constructor(private readonly pool: Pool) {}

  async load(reader: string): Promise<number> {
    const { rows } = await this.pool.query<{ position: number }>(SELECT_CHECKPOINT, [reader]);
    return rows[0]?.position ?? 0;
  }

  async save(reader: string, position: number): Promise<void> {
    await this.pool.query(SAVE_CHECKPOINT, [reader, position]);
  }
}
