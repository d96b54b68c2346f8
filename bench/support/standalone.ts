import { pathToFileURL } from 'node:url';
import type { ScenarioName } from './options.js';

/**
 * Lets each scenario file run on its own (`node dist/bench/query-latency.js --size small`):
 * when the file is the process's entry point, the runner runs just that scenario. Called
 * without awaiting it: the runner imports every scenario, this one included, so awaiting
 * here (top-level await) would wait for a module that waits for this one.
 */
export async function runScenarioStandalone(moduleUrl: string, name: ScenarioName): Promise<void> {
  if (!process.argv[1] || pathToFileURL(process.argv[1]).href !== moduleUrl) return;
  const { main } = await import('../run-benchmarks.js');
  const args = process.argv.slice(2).filter((a, i, all) => a !== '--only' && all[i - 1] !== '--only');
  try {
    process.exit(await main([...args, '--only', name]));
  } catch (error) {
    process.stderr.write(`benchmark failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  }
}
