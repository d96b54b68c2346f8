import { normalizeMessage, type SourceMessage, type TransportTime } from '#sources';
import { storableText, type LedgerEvent } from '#domain';
import {
  prepareEvent,
  type AppendResult,
  type ConsumedOffset,
  type EventStoreRepository,
  type PreparedEvent,
  type RejectionInput,
} from '#event-store';

/** `ledger`: the ledger's own records (self-audit, key changes), the only channel that may use origin `ledger`. */
export type IngestChannel = 'kafka' | 'http' | 'cli' | 'ledger';

const RESERVED_ORIGIN = 'ledger';

export interface IncomingMessage {
  body: Buffer;
  headers: Record<string, string>;
  /** A declared source format (Kafka header `ledger-format`, HTTP `format` parameter) wins over detection. */
  declaredFormat?: string;
  kafka: { topic: string; partition: number; offset: string } | null;
  /** Kafka: the record's timestamp, the event time of a record that has none (docs/formats.md, "Event time"). */
  transportTime?: TransportTime | null;
}

export interface IngestOutcome extends AppendResult {
  /** Events normalized from the messages (stored or recognised as duplicates). */
  normalized: number;
  /** Per rejected record: why, so that HTTP callers can be told at once. */
  rejections: Array<{ messageIndex: number; recordIndex: number | null; reason: string; message: string }>;
}

/** Told about every ingested batch (metrics); must not throw. */
export interface IngestObserver {
  ingested(channel: IngestChannel, outcome: IngestOutcome, seconds: number): void;
}

export interface IngestOptions {
  channel: IngestChannel;
  maxMessageBytes: number;
  /** Offsets to record in the same transaction as the events (Kafka ingestion). */
  offsets?: ConsumedOffset[];
  now?: () => Date;
}

/**
 * The one ingestion use case behind Kafka, HTTP and the CLI: normalize every record of every
 * message, prepare the events for the integrity log, and append events, rejections and
 * consumed offsets in one transaction. A bad record never blocks the others: it becomes a
 * rejection (and so a DLQ message) with its original bytes and the reason.
 */
export class IngestService {
  constructor(
    private readonly store: EventStoreRepository,
    private readonly observer: IngestObserver | null = null,
  ) {}

  async ingest(messages: IncomingMessage[], options: IngestOptions): Promise<IngestOutcome> {
    const started = process.hrtime.bigint();
    const now = options.now ?? (() => new Date());
    const receivedAt = now().toISOString();
    const prepared: PreparedEvent[] = [];
    const rejections: RejectionInput[] = [];
    const reported: IngestOutcome['rejections'] = [];

    messages.forEach((message, messageIndex) => {
      const reject = (recordIndex: number | null, reason: string, text: string, raw: Buffer) => {
        rejections.push({
          receivedAt,
          channel: options.channel,
          reason,
          message: text,
          recordIndex,
          kafka: message.kafka,
          headers: message.headers,
          raw,
        });
        reported.push({ messageIndex, recordIndex, reason, message: text });
      };

      if (message.body.length > options.maxMessageBytes) {
        reject(null, 'message_too_large', `message of ${message.body.length} bytes exceeds ${options.maxMessageBytes}`, message.body);
        return;
      }
      const source: SourceMessage = { body: message.body, headers: message.headers, declaredFormat: message.declaredFormat, transportTime: message.transportTime };
      const result = normalizeMessage(source, { now });
      for (const rejected of result.rejected) {
        const raw = rejected.index === null ? message.body : Buffer.from(rejected.raw, 'utf8');
        reject(rejected.index, rejected.reason, rejected.message, raw);
      }
      for (const normalized of result.events) {
        // `ledger` is the origin of the ledger's own records (anomalies, triage, attribution,
        // self-audit): a producer outside the ledger must not be able to forge them.
        if (normalized.origin.system === RESERVED_ORIGIN && options.channel !== 'ledger') {
          reject(null, 'reserved_origin', `origin.system "${RESERVED_ORIGIN}" is reserved for the ledger's own records`, Buffer.from(normalized.raw, 'utf8'));
          continue;
        }
        const event: LedgerEvent = {
          ...normalized,
          received_at: receivedAt,
          origin: { ...normalized.origin, kafka: message.kafka },
        };
        try {
          prepared.push(prepareEvent(event));
        } catch (error) {
          // canonicalization refuses values JSON cannot represent faithfully
          reject(null, 'unserializable_event', (error as Error).message, Buffer.from(normalized.raw, 'utf8'));
        }
      }
    });

    let outcome: IngestOutcome;
    try {
      const appended = await this.store.append({ events: prepared, rejections, offsets: options.offsets });
      outcome = { ...appended, normalized: prepared.length, rejections: reported };
    } catch (error) {
      if (!isDataError(error)) throw error;
      outcome = await this.isolateRefusedRecords(messages, options, error as Error);
    }
    this.observer?.ingested(options.channel, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    return outcome;
  }

  /**
   * Postgres refused the batch for something in the data (a value it cannot store, an index
   * entry over its size limit). Retrying the same batch would stall the partition forever,
   * so the batch is split until the refused message is alone; that message is dead-lettered
   * with Postgres's reason and everything else is stored. The consumed offsets go with the
   * last part, so nothing is skipped if the process stops half-way.
   */
  private async isolateRefusedRecords(messages: IncomingMessage[], options: IngestOptions, error: Error): Promise<IngestOutcome> {
    if (messages.length === 1) {
      const [message] = messages as [IncomingMessage];
      const rejection: RejectionInput = {
        receivedAt: (options.now ?? (() => new Date()))().toISOString(),
        channel: options.channel,
        reason: 'store_refused',
        message: `the database refused the record: ${error.message}`,
        recordIndex: null,
        kafka: message.kafka,
        headers: sanitizeHeaders(message.headers),
        raw: message.body,
      };
      const appended = await this.store.append({ events: [], rejections: [rejection], offsets: options.offsets });
      return { ...appended, normalized: 0, rejections: [{ messageIndex: 0, recordIndex: null, reason: rejection.reason, message: rejection.message }] };
    }
    const middle = Math.ceil(messages.length / 2);
    const first = await this.ingest(messages.slice(0, middle), { ...options, offsets: undefined });
    const second = await this.ingest(messages.slice(middle), options);
    return {
      appended: first.appended + second.appended,
      duplicates: first.duplicates + second.duplicates,
      idCollisions: first.idCollisions + second.idCollisions,
      rejected: first.rejected + second.rejected,
      placements: [...first.placements, ...second.placements],
      normalized: first.normalized + second.normalized,
      rejections: [...first.rejections, ...second.rejections.map((r) => ({ ...r, messageIndex: r.messageIndex + middle }))],
    };
  }
}

/** SQLSTATE class 22 (data exception) and 54 (program limit exceeded, e.g. an index row too large). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

/** Header text as jsonb can hold it (no NUL), for the rejection record of a refused message. */
function sanitizeHeaders(headers: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) clean[storableText(name)] = storableText(value);
  return clean;
}
