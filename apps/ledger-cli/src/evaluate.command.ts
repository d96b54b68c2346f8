import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CachedGeoLookup,
  evaluateGenerated,
  evaluateLabelled,
  evaluateStratus,
  formatGeneratedEvaluation,
  formatLabelledReport,
  formatStratusReport,
  IpLocationDbGeo,
} from '#detection';
import { InvalidArgumentError } from '#domain';
import { printResult, type CliContext } from './cli-context.js';

export interface EvaluateOptions {
  /** A folder with `labelled/` and `cloudtrail/stratus/` (the shared test data); optional. */
  data?: string;
  seed: number;
  days: number;
  subjects: number;
}

/**
 * `ledger evaluate`: how good detection is. On the project's own generated workload (seeded
 * incidents of every baseline type among realistic normal behaviour) it prints precision and
 * recall per anomaly type; with `--data` it also checks labelled single events and the
 * Stratus Red Team detonation logs. Exit code 1 when a labelled case fails.
 */
export async function evaluateCommand(context: CliContext, options: EvaluateOptions): Promise<void> {
  const geo = new CachedGeoLookup(new IpLocationDbGeo());
  let labelled = null;
  let stratus = null;
  if (options.data !== undefined) {
    const labelledDir = join(options.data, 'labelled');
    const stratusDir = join(options.data, 'cloudtrail/stratus');
    if (!existsSync(labelledDir) || !existsSync(stratusDir)) {
      throw new InvalidArgumentError('data', `${options.data} must contain labelled/ and cloudtrail/stratus/`);
    }
    labelled = evaluateLabelled(labelledDir, { geo });
    stratus = evaluateStratus(stratusDir, { geo });
  }
  const generated = evaluateGenerated({ geo, seed: options.seed, days: options.days, subjects: options.subjects });
  printResult(
    context,
    {
      labelled,
      stratus,
      generated: { ...generated, falsePositiveExamples: generated.falsePositiveExamples.slice(0, 10), missedExamples: generated.missedExamples.slice(0, 10) },
    },
    () =>
      [labelled && formatLabelledReport(labelled), stratus && formatStratusReport(stratus), formatGeneratedEvaluation(generated)]
        .filter(Boolean)
        .join('\n\n'),
  );
  if (labelled && labelled.failed > 0) process.exitCode = 1;
}
