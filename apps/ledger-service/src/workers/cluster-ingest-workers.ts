import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SpawnWorker, WorkerProcess } from './ingest-worker-supervisor.js';

/**
 * The compiled service entry point (dist/apps/ledger-service/src/main.js), found from this
 * module rather than from process.argv[1], so that workers are the service's own even when
 * the primary was started by something else (`ledger demo` runs the service inside the CLI).
 */
export function serviceEntryPoint(): string {
  return fileURLToPath(new URL('../main.js', import.meta.url));
}

/**
 * Ingest workers as node:cluster workers running the compiled service entry point with
 * LEDGER_PROCESS_ROLE=ingest-worker. node:cluster rather than child_process.fork because:
 *  - a cluster worker exits by itself as soon as its primary is gone, even when the primary
 *    was killed with SIGKILL, so a dead service never leaves orphan consumers in the group
 *    (a fork()ed child would keep consuming unsupervised);
 *  - cluster forwards the primary's exec arguments (e.g. --cpu-prof, --max-old-space-size),
 *    and its IPC channel is what prom-client's AggregatorRegistry is built around: the
 *    primary's /metrics merges the workers' registries with AggregatorRegistry.aggregate.
 * Workers open no server, so cluster's shared-listener machinery is never involved.
 */
export function clusterIngestWorkers(entryPoint = serviceEntryPoint()): SpawnWorker {
  if (!existsSync(entryPoint)) {
    throw new Error(`LEDGER_INGEST_WORKERS needs the compiled service (npm run build): ${entryPoint} not found`);
  }
  cluster.setupPrimary({ exec: entryPoint, args: [] });
  return () => {
    const worker = cluster.fork({ LEDGER_PROCESS_ROLE: 'ingest-worker' });
    // An IPC send to a worker that is exiting reports here; the supervisor learns of the exit itself.
    worker.on('error', () => undefined);
    const handle: WorkerProcess = {
      pid: worker.process.pid,
      send(message) {
        if (!worker.isConnected()) return false;
        try {
          return worker.send(message);
        } catch {
          return false;
        }
      },
      signal(signal) {
        // Straight to the process: cluster's worker.kill() would first cut the IPC channel,
        // and a cluster worker whose channel is cut exits at once instead of finishing its batch.
        if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill(signal);
      },
      onMessage(listener) {
        worker.on('message', listener);
      },
      onExit(listener) {
        worker.once('exit', listener);
      },
    };
    return handle;
  };
}
