export { IngestService, type IngestObserver, type IncomingMessage, type IngestOutcome, type IngestOptions, type IngestChannel } from './ingest.service.js';
export { KafkaIngestConsumer, type KafkaIngestSettings } from './kafka-ingest.consumer.js';
export { DlqRelay } from './dlq-relay.js';
export { headersToStrings } from './kafka-headers.js';
export { RecordPublisher, type PublishReport } from './record-publisher.js';
export { messageBodies, readSourceFiles, type SourceFile, type FileMessage } from './source-files.js';
export { createLedgerEventStore } from './ledger-event-store.js';
