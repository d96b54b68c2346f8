import type { LedgerConfig } from '#config';

export type ProcessRole = LedgerConfig['processRole'];

/**
 * What this process of the service is. The role comes from LEDGER_PROCESS_ROLE, which the
 * service sets only on the ingest workers it forks; being a cluster worker is not enough on
 * its own, since a process manager (e.g. PM2 in cluster mode) may run the whole service as a
 * cluster worker. A worker role without a primary to report to is refused: its readiness,
 * metrics and supervision all go through the primary.
 */
export function selectProcessRole(configured: ProcessRole, isClusterWorker: boolean): ProcessRole {
  if (configured === 'ingest-worker' && !isClusterWorker) {
    throw new Error('LEDGER_PROCESS_ROLE=ingest-worker is set by the service on the workers it starts; set LEDGER_INGEST_WORKERS instead');
  }
  return configured;
}
