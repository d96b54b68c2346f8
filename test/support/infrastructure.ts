import { createConnection } from 'node:net';

export interface TestInfrastructure {
  databaseUrl: string;
  kafkaBrokers: string;
  stop: () => Promise<void>;
}

/**
 * Real Postgres and Kafka for the integration and end-to-end tiers, never mocks:
 * - where a container runtime answers, testcontainers starts both (DESIGN 3);
 * - otherwise the services named by DATABASE_URL / KAFKA_BROKERS, or the local ones that
 *   `npm test` starts through scripts/infra (127.0.0.1:5432 and 127.0.0.1:9092).
 * LEDGER_TEST_CONTAINERS=never skips the runtime probe; =always insists on containers.
 */
export async function resolveTestInfrastructure(env: NodeJS.ProcessEnv = process.env): Promise<TestInfrastructure> {
  const mode = env.LEDGER_TEST_CONTAINERS ?? 'auto';
  if (mode !== 'never' && (await containerRuntimeAnswers())) return startContainers();
  if (mode === 'always') throw new Error('LEDGER_TEST_CONTAINERS=always but no container runtime answers');
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const kafkaBrokers = env.KAFKA_BROKERS ?? '127.0.0.1:9092';
  await expectReachable('Postgres', databaseUrl);
  await expectReachable('Kafka', `tcp://${kafkaBrokers.split(',')[0]}`);
  return { databaseUrl, kafkaBrokers, stop: async () => undefined };
}

async function containerRuntimeAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const probe = getContainerRuntimeClient().then(() => true, () => false);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref());
    return await Promise.race([probe, timeout]);
  } catch {
    return false;
  }
}

async function startContainers(): Promise<TestInfrastructure> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [postgres, kafka] = await Promise.all([
    new PostgreSqlContainer('postgres:15').start(),
    new KafkaContainer('apache/kafka:3.9.1').withKraft().start(),
  ]);
  return {
    databaseUrl: postgres.getConnectionUri(),
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    stop: async () => {
      await Promise.all([postgres.stop(), kafka.stop()]);
    },
  };
}

async function expectReachable(name: string, url: string): Promise<void> {
  const parsed = new URL(url);
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || (parsed.protocol.startsWith('postgres') ? 5432 : 9092));
  const ok = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (!ok) {
    throw new Error(`${name} is not reachable at ${host}:${port}. Run \`npm run infra:up\` (npm test does this for you) or set ${name === 'Kafka' ? 'KAFKA_BROKERS' : 'DATABASE_URL'}.`);
  }
}
