export { createPool, ensureDatabase, inTransaction, quoteIdentifier, type Pool, type PoolClient } from './database.js';
export { migrate, loadMigrations, migrationsDirectory, type Migration, type MigrationReport } from './migrator.js';
export { prepareEvent, recordContentHash, type PreparedEvent } from './prepared-event.js';
export {
  EventStoreRepository,
  type AppendRequest,
  type AppendResult,
  type AppendParticipant,
  type PlacedEvent,
  type ConsumedOffset,
  type RejectionInput,
} from './event-store.repository.js';
export {
  EventQueryRepository,
  type EventFilter,
  type EventPage,
  type PageCursor,
  type StoredEvent,
  type LedgerStatistics,
} from './event-query.repository.js';
export { ReaderCheckpointRepository } from './reader-checkpoint.repository.js';
export { RejectionRepository, type StoredRejection } from './rejection.repository.js';
export { SubjectQueryRepository, type SubjectAliasSummary } from './subject-query.repository.js';
export {
  MerkleLogRepository,
  MerkleLogQueries,
  MerkleLogWriter,
  MAX_LEAVES_PER_ROW,
  type CheckpointRow,
  type NewCheckpoint,
  type SubtreeRow,
  type KeyRecordRow,
  type VerificationEventRow,
  type StoredEventColumns,
} from './merkle-log.repository.js';
export { PollingLoop } from './polling-loop.js';
export { AppendNotificationListener, type AppendNotificationHandlers } from './append-notification.listener.js';
