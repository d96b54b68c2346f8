import type { TestProject } from 'vitest/node';
import { resolveTestInfrastructure } from './infrastructure.js';

/**
 * Decides once per run which real Postgres and Kafka the integration and end-to-end tests
 * use (containers where a runtime answers, otherwise the configured or local services),
 * and hands their addresses to the test workers.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await resolveTestInfrastructure();
  project.provide('databaseUrl', infra.databaseUrl);
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  return infra.stop;
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    kafkaBrokers: string;
  }
}
