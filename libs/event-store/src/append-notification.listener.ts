import pg from 'pg';
import * as sql from './event-store.sql.js';

export interface AppendNotificationHandlers {
  /**
   * Something was appended and committed: `head` is the next position it left, or null when
   * the listener cannot know (it has just reconnected, and appends made while it was not
   * listening were never notified to it).
   */
  appended(head: number | null): void;
  /** The connection is listening: at start, or again after it was lost. */
  listening(reconnected: boolean): void;
  /** The connection failed or dropped; another attempt follows after `retryInMs`. */
  lost(error: Error, retryInMs: number): void;
}

const APPLICATION_NAME = 'accountability-ledger-listener';
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * Listens on one dedicated connection (not a pooled one: a LISTEN belongs to its session)
 * for the `ledger_appended` notification every committed append sends, so that readers in
 * this process follow appends made by other processes (ingest workers, other instances, the
 * CLI) at once instead of at their next poll. Best effort by design: a notification lost
 * while the connection is down is made up for by one wake-up on reconnection, and the
 * readers' polling catches anything else.
 */
export class AppendNotificationListener {
  private client: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
  private everListened = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: AppendNotificationHandlers,
  ) {}

  /** Resolves after the first attempt to listen; a failed attempt is retried in the background. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** Whether a connection is listening now (for health and tests). */
  get isListening(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    // keepAlive: a connection cut without a FIN (network failure) is noticed and replaced.
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: APPLICATION_NAME, keepAlive: true });
    let lost = false;
    const onLost = (error: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (!this.stopped) this.retryLater(error);
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('the listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel === sql.APPENDED_CHANNEL) this.handlers.appended(parseHead(message.payload));
    });
    try {
      await client.connect();
      await client.query(sql.LISTEN_APPENDED);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (lost) return;
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    const reconnected = this.everListened;
    this.everListened = true;
    this.handlers.listening(reconnected);
    if (reconnected) this.handlers.appended(null);
  }

  private retryLater(error: Error): void {
    const retryInMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures++;
    this.handlers.lost(error, retryInMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, retryInMs);
  }
}

function parseHead(payload: string | undefined): number | null {
  const head = Number(payload);
  return payload && Number.isSafeInteger(head) && head >= 0 ? head : null;
}
