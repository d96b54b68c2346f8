import { startLedger, type RunningLedger } from '#service';
import { messageBodies, readSourceFiles } from '#ingestion';
import { createKafka, inputTopicsOf } from '#messaging';
import { generateWorkload, type SeededIncident } from '#workload';
import type { CliContext } from './cli-context.js';
import { demoApiKey } from './keys.command.js';
import { publishMessages } from './publish.command.js';
import { waitUntilConsumed } from './wait-for-ingest.js';

export interface DemoOptions {
  exit: boolean;
  input?: string[];
  seed: number;
  timeoutSeconds: number;
}

/**
 * `npm run demo`: the whole product on one machine. Starts the ledger (API, ingest consumer,
 * DLQ relay), publishes a generated day of activity with seeded incidents (or the given
 * files) to Kafka, waits until every message is stored or dead-lettered, prints what the
 * ledger now knows, and keeps serving the API until Ctrl-C (or stops with --exit).
 */
export async function demoCommand(context: CliContext, options: DemoOptions): Promise<void> {
  const say = (line = '') => process.stdout.write(`${line}\n`);
  say('Accountability ledger demo');
  say(`  Postgres: ${redact(context.config.databaseUrl)}   Kafka: ${context.config.kafka.brokers.join(',')}`);
  const ledger = await startLedger(context.config, context.logger);
  try {
    const access = await demoApiKey(ledger.runtime.pool, ledger.runtime.ingest);
    const before = await ledger.runtime.queries.statistics();
    let incidents: SeededIncident[] = [];
    let messages: AsyncIterable<Buffer> | Iterable<Buffer>;
    let label: string;
    if (options.input?.length) {
      const files = await readSourceFiles(options.input);
      label = `${files.length} file(s) from ${options.input.join(', ')}`;
      messages = messageBodies(files);
    } else {
      const workload = generateWorkload({ seed: options.seed });
      incidents = workload.incidents;
      label = `a generated day: ${workload.records.length} CloudTrail records, ${workload.subjects.length} subjects, ${incidents.length} seeded incidents (seed ${options.seed})`;
      messages = workload.records.map((record) => Buffer.from(JSON.stringify(record), 'utf8'));
    }
    say(`  Publishing ${label}`);
    const kafka = createKafka({ brokers: context.config.kafka.brokers, clientId: `${context.config.kafka.clientId}-demo` }, context.logger);
    const started = process.hrtime.bigint();
    const report = await publishMessages(kafka, context.config.kafka.topics, context.config.kafka.partitions, messages);
    const published = process.hrtime.bigint();
    await waitUntilConsumed(
      kafka,
      ledger.runtime.store,
      context.config.kafka.consumerGroup,
      inputTopicsOf(context.config.kafka.topics),
      options.timeoutSeconds * 1000,
    );
    const stored = process.hrtime.bigint();
    const after = await ledger.runtime.queries.statistics();
    const newEvents = after.events - before.events;
    const seconds = Number(stored - started) / 1e9;
    say('');
    say('Summary');
    say(`  records published        ${report.records} (${((Number(published - started) / 1e9)).toFixed(2)} s)`);
    say(`  events stored (new)      ${newEvents}`);
    say(`  already stored (dupes)   ${after.duplicates - before.duplicates}`);
    say(`  dead-lettered (DLQ)      ${after.rejections - before.rejections}`);
    say(`  events in the ledger     ${after.events}`);
    say(`  ingest rate              ${Math.round(report.records / seconds)} records/s end to end (publish → stored), ${seconds.toFixed(2)} s`);
    if (incidents.length) await printIncidents(ledger, access.key, incidents, say);
    await printAnomalies(ledger, access.key, incidents, say);
    say('');
    say(`API:  ${ledger.url}/v1/events   docs: ${ledger.url}/docs   OpenAPI: ${ledger.url}/openapi.json`);
    say(`API key (admin, owner ${access.owner}; ${access.created ? 'created, saved in' : 'reused from'} ${access.file}):`);
    say(`  export LEDGER_API_KEY=${access.key}`);
    say(`  curl -s -H "Authorization: Bearer $LEDGER_API_KEY" '${ledger.url}/v1/events?limit=5'`);
    say(`  Every read is recorded in the ledger: ${ledger.url}/v1/subjects/${encodeURIComponent(access.owner)}/activity`);
    if (options.exit) return;
    say('Serving until Ctrl-C.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await ledger.close();
  }
}

/** What detection brought forward: counts per type, and the anomalies on the seeded incidents' subjects. */
async function printAnomalies(ledger: RunningLedger, apiKey: string, incidents: SeededIncident[], say: (line?: string) => void): Promise<void> {
  await ledger.runtime.waitForReaders(120_000);
  const anomalies: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  do {
    const response = await fetch(`${ledger.url}/v1/anomalies?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${apiKey}` } });
    const page = (await response.json()) as { items: Array<Record<string, any>>; next_cursor: string | null };
    anomalies.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  say('');
  say(`Anomalies brought forward: ${anomalies.length} (published to ${ledger.runtime.config.kafka.topics.anomalies})`);
  const byType = new Map<string, number>();
  for (const a of anomalies) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);
  for (const [type, count] of [...byType].sort((x, y) => y[1] - x[1])) say(`  ${type.padEnd(30)} ${count}`);
  const seeded = new Set(incidents.flatMap((i) => i.eventIds));
  const onIncidents = anomalies.filter((a) => (a.evidence_event_ids as string[]).some((id) => seeded.has(id)));
  if (onIncidents.length) {
    say('');
    say('On the seeded incidents:');
    for (const a of onIncidents) say(`  [${a.severity}] ${a.type} — ${a.subject}: ${(a.facts as string[])[0] ?? ''}`);
  }
}

async function printIncidents(ledger: RunningLedger, apiKey: string, incidents: SeededIncident[], say: (line?: string) => void): Promise<void> {
  // Everything below comes through the public API, exactly as a user would ask for it.
  const api = async (path: string) =>
    (await fetch(`${ledger.url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } })).json() as Promise<Record<string, any>>;
  const mfa = (event: Record<string, any>) => (event.authentication ? `  mfa=${String(event.authentication.mfa)}` : '');
  const line = (event: Record<string, any>, mark = '') =>
    `  ${event.time}  ${String(event.action).padEnd(34)} ${String(event.outcome).padEnd(8)} ` +
    `from ${event.source?.ip ?? event.source?.service ?? '-'}${mfa(event)}${mark}`;

  say('');
  say('Seeded incidents: the evidence and who is accountable');
  for (const incident of incidents) {
    say(`  ${incident.kind}: ${incident.subject}`);
    for (const id of incident.eventIds) {
      const event = await api(`/v1/events/${encodeURIComponent(id)}`);
      say(`  ${line(event)}  [${event.actor?.kind}, via ${event.actor?.via ?? '-'}]`);
    }
  }
  const shown = incidents.find((i) => i.subject.endsWith(':root')) ?? incidents[0]!;
  const page = await api(`/v1/subjects/${encodeURIComponent(shown.subject)}/activity?limit=1000`);
  const items = page.items as Array<Record<string, any>>;
  const evidence = new Set(shown.eventIds.concat(incidents.filter((i) => i.subject === shown.subject).flatMap((i) => i.eventIds)));
  say('');
  say(`Who did what: ${shown.subject}, ${items.length} event(s)`);
  for (const event of items.slice(0, 30)) say(line(event, evidence.has(event.id) ? '   <== seeded incident' : ''));
  if (items.length > 30) say(`  ... ${items.length - 30} more`);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
