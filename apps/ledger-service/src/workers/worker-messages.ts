import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** A registry's metrics as prom-client serialises them (Registry.getMetricsAsJSON). */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** Sent by an ingest worker once its consumer has joined the group: it counts as up from then on. */
export interface WorkerReadyMessage {
  type: 'ledger:ingest-worker-ready';
}

/** The primary asks a worker for its metrics (for the primary's /metrics). */
export interface MetricsRequestMessage {
  type: 'ledger:metrics-request';
  id: number;
}

export interface MetricsReplyMessage {
  type: 'ledger:metrics-reply';
  id: number;
  metrics: MetricsJson;
}

export type WorkerToPrimaryMessage = WorkerReadyMessage | MetricsReplyMessage;
export type PrimaryToWorkerMessage = MetricsRequestMessage;

// IPC carries whatever a process sends: each side checks the shape before trusting it.
export function isWorkerReady(message: unknown): message is WorkerReadyMessage {
  return typeOf(message) === 'ledger:ingest-worker-ready';
}

export function isMetricsRequest(message: unknown): message is MetricsRequestMessage {
  return typeOf(message) === 'ledger:metrics-request' && Number.isInteger((message as { id?: unknown }).id);
}

export function isMetricsReply(message: unknown): message is MetricsReplyMessage {
  return (
    typeOf(message) === 'ledger:metrics-reply' &&
    Number.isInteger((message as { id?: unknown }).id) &&
    Array.isArray((message as { metrics?: unknown }).metrics)
  );
}

function typeOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
}
