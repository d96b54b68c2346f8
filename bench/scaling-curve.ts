import { buildLedger, type Checkpoint } from './support/ledger-builder.js';
import { createPool, createScratchDatabase, ledgerStoreBytes } from './support/scratch-database.js';
import { fmtBytes, fmtNumber, type Scenario, type ScenarioContext, type ScenarioOutcome } from './support/scenario.js';
import { runScenarioStandalone } from './support/standalone.js';
import { ratio, round } from './support/stats.js';

/**
 * Scenario 5 (DESIGN 10, scaling): one ledger grown through the ledger's ingest use case
 * (IngestService: normalize, integrity, append; no Kafka, so the broker's cost does not blur
 * the curve) past each checkpoint, measuring the ingest rate just before it and the store's
 * size on disk at it. A rate that falls as the ledger grows means the cost per event grows
 * with the ledger (index depth, idempotency-key lookups, partition count).
 */

interface ScalingPoint extends Checkpoint {
  storeBytes: number;
  bytesPerEvent: number;
}

async function runScaling(context: ScenarioContext): Promise<ScenarioOutcome> {
  const { options, plan, log } = context;
  const db = await createScratchDatabase(options.serverUrl, 'scaling', options.runId, { migrate: true });
  const pool = createPool(db.url, 2);
  const points: ScalingPoint[] = [];
  try {
    const count = Math.max(...plan.scalingCheckpoints);
    log(`growing one ledger to ${fmtNumber(count)} events, measuring at ${plan.scalingCheckpoints.map((c) => fmtNumber(c)).join(', ')}`);
    const build = await buildLedger(pool, {
      seed: options.seed,
      count,
      checkpoints: plan.scalingCheckpoints,
      onProgress: (done) => log(`  ${fmtNumber(done)} events stored`),
      onCheckpoint: async (c) => {
        const storeBytes = await ledgerStoreBytes(pool);
        points.push({ ...c, storeBytes, bytesPerEvent: storeBytes / c.events });
        log(`  at ${fmtNumber(c.events)}: ${fmtNumber(c.windowEventsPerSecond)} events/s (last ${fmtNumber(c.windowEvents)}), cumulative ${fmtNumber(c.cumulativeEventsPerSecond)} events/s, store ${fmtBytes(storeBytes)}`);
      },
    });
    const first = points[0];
    const last = points[points.length - 1];
    const slowdown = ratio(last?.windowEventsPerSecond, first?.windowEventsPerSecond);
    return {
      status: 'ok',
      data: {
        events: build.events,
        stored: build.stored,
        rejected: build.rejected,
        seconds: round(build.seconds, 1),
        points: points.map((p) => ({
          events: p.events,
          eventsPerSecond: round(p.windowEventsPerSecond, 0),
          cumulativeEventsPerSecond: round(p.cumulativeEventsPerSecond, 0),
          windowEvents: p.windowEvents,
          storeBytes: p.storeBytes,
          bytesPerEvent: round(p.bytesPerEvent, 0),
        })),
        lastToFirstRate: round(slowdown, 3),
      },
      rows: [
        ...points.map((p) => ({
          scenario: 'scaling',
          metric: `at ${fmtNumber(p.events)} events: ingest events/s; store size (bytes/event)`,
          value: `${fmtNumber(p.windowEventsPerSecond)}; ${fmtBytes(p.storeBytes)} (${fmtNumber(p.bytesPerEvent)})`,
        })),
        { scenario: 'scaling', metric: `rate at ${fmtNumber(last?.events)} / rate at ${fmtNumber(first?.events)}`, value: fmtNumber(slowdown, 2), target: '~1.00 (flat)' },
      ],
    };
  } finally {
    await pool.end().catch(() => undefined);
    await db.drop();
  }
}

export const scalingScenario: Scenario = {
  name: 'scaling',
  title: 'Scaling curve: ingest rate and store size vs ledger size',
  run: runScaling,
};

void runScenarioStandalone(import.meta.url, 'scaling');
