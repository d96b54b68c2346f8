import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLedger } from './support/ledger-builder.js';
import { cliCommands, cliHelp } from './support/cli-commands.js';
import { timedCli } from './support/timed-cli.js';
import { createPool, createScratchDatabase } from './support/scratch-database.js';
import { fmtBytes, fmtNumber, verdict, type Scenario, type ScenarioContext, type ScenarioOutcome, type TableRow } from './support/scenario.js';
import { runScenarioStandalone } from './support/standalone.js';
import { round } from './support/stats.js';

/**
 * Scenario 4 (DESIGN 10, export and rebuild): `ledger export` of a ledger of N events into a
 * bundle and `ledger rebuild` of its projections, each as its own CLI process: events/s and
 * the process's peak RSS (kernel VmHWM, via /usr/bin/time when present, else sampled from
 * /proc). Needs the CLI commands: until they exist the scenario says so.
 */

/** How `export` wants its destination: an --out/--output option if its help names one, else a positional path. */
async function exportArguments(bundle: string): Promise<string[]> {
  const help = await cliHelp(['export']);
  const option = /(--out(?:put)?|--bundle|--to)\b/.exec(help)?.[1];
  return option ? ['export', option, bundle] : ['export', bundle];
}


async function runExportRebuild(context: ScenarioContext): Promise<ScenarioOutcome> {
  const commands = await cliCommands();
  const hasExport = commands.has('export');
  const hasRebuild = commands.has('rebuild');
  if (!hasExport && !hasRebuild) {
    return {
      status: 'not-available',
      reason: `not available yet: the CLI has no \`ledger export\` or \`ledger rebuild\` command (it has: ${[...commands].join(', ') || 'none'})`,
      data: { commands: [...commands] },
      rows: [],
    };
  }
  const { options, plan, log } = context;
  const db = await createScratchDatabase(options.serverUrl, 'export', options.runId, { migrate: true });
  const pool = createPool(db.url, 2);
  const work = mkdtempSync(join(tmpdir(), 'ledger-bench-export-'));
  const rows: TableRow[] = [];
  const data: Record<string, unknown> = {};
  try {
    log(`building a ${fmtNumber(plan.exportEvents)}-event ledger`);
    const build = await buildLedger(pool, { seed: options.seed, count: plan.exportEvents });
    data.events = build.events;
    if (hasExport) {
      const bundle = join(work, 'ledger-bundle');
      const result = await timedCli('export', await exportArguments(bundle), db.url, build.events);
      const bundleBytes = existsSync(bundle) ? statSync(bundle).size : null;
      log(`  export: ${fmtNumber(result.eventsPerSecond)} events/s, peak RSS ${fmtBytes(result.peakRssBytes)}`);
      data.export = { seconds: round(result.seconds, 2), eventsPerSecond: round(result.eventsPerSecond, 0), peakRssBytes: result.peakRssBytes, bundleBytes };
      rows.push(
        { scenario: 'export', metric: `export of ${fmtNumber(build.events)} events, events/s`, value: fmtNumber(result.eventsPerSecond), target: '>= 50,000', verdict: verdict(result.eventsPerSecond >= 50_000) },
        { scenario: 'export', metric: 'export peak RSS', value: fmtBytes(result.peakRssBytes), target: '<= 256 MB', verdict: verdict(result.peakRssBytes <= 256 * 1024 * 1024) },
      );
    } else {
      rows.push({ scenario: 'export', metric: 'export', value: 'not available yet (no `ledger export` command)' });
    }
    if (hasRebuild) {
      const result = await timedCli('rebuild', ['rebuild'], db.url, build.events);
      log(`  rebuild: ${fmtNumber(result.eventsPerSecond)} events/s, peak RSS ${fmtBytes(result.peakRssBytes)}`);
      data.rebuild = { seconds: round(result.seconds, 2), eventsPerSecond: round(result.eventsPerSecond, 0), peakRssBytes: result.peakRssBytes };
      rows.push(
        { scenario: 'rebuild', metric: `projection rebuild of ${fmtNumber(build.events)} events, events/s`, value: fmtNumber(result.eventsPerSecond), target: '>= 100,000', verdict: verdict(result.eventsPerSecond >= 100_000) },
        { scenario: 'rebuild', metric: 'rebuild peak RSS', value: fmtBytes(result.peakRssBytes) },
      );
    } else {
      rows.push({ scenario: 'rebuild', metric: 'rebuild', value: 'not available yet (no `ledger rebuild` command)' });
    }
    return { status: 'ok', data, rows };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await pool.end().catch(() => undefined);
    await db.drop();
  }
}

export const exportRebuildScenario: Scenario = {
  name: 'export-rebuild',
  title: 'Export and projection rebuild',
  run: runExportRebuild,
};

void runScenarioStandalone(import.meta.url, 'export-rebuild');
