import type { Kafka } from 'kafkajs';
import type { TopicNames } from '#domain';
import { messageBodies, readSourceFiles, RecordPublisher, type PublishReport } from '#ingestion';
import { allTopicsOf, createKafka, createProducer, ensureTopics } from '#messaging';
import { printResult, type CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

/**
 * Publishes files (NDJSON, CloudTrail delivery files, folders of them) to the input topics.
 * Returns the report; the demo publishes through this same function.
 */
export async function publishMessages(
  kafka: Kafka,
  topics: TopicNames,
  partitions: number,
  messages: AsyncIterable<Buffer> | Iterable<Buffer>,
  onMessage: () => void = () => undefined,
): Promise<PublishReport> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, allTopicsOf(topics), partitions);
  } finally {
    await admin.disconnect();
  }
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    const publisher = new RecordPublisher(producer, topics);
    for await (const message of messages) {
      await publisher.publish(message);
      onMessage();
    }
    return await publisher.flush();
  } finally {
    await producer.disconnect();
  }
}

export async function publishCommand(context: CliContext, paths: string[]): Promise<void> {
  const files = await readSourceFiles(paths);
  const kafka = createKafka({ brokers: context.config.kafka.brokers, clientId: `${context.config.kafka.clientId}-cli` }, context.logger);
  const progress = createProgress(context.interactive, 'publishing', 0);
  const started = process.hrtime.bigint();
  let count = 0;
  const report = await publishMessages(kafka, context.config.kafka.topics, context.config.kafka.partitions, messageBodies(files), () => {
    count++;
    progress.setTotal(count);
    progress.increment();
  });
  progress.stop();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  printResult(context, { files: files.length, ...report, seconds: Number(seconds.toFixed(3)) }, () =>
    [
      `published ${report.records} records from ${files.length} file(s) (${report.messages} messages) in ${seconds.toFixed(2)} s`,
      ...Object.entries(report.byTopic).map(([topic, n]) => `  ${topic}: ${n}`),
      report.unclassified ? `  ${report.unclassified} record(s) could not be classified; the ledger will dead-letter them with a reason` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
