import { Command, InvalidArgumentError, Option } from 'commander';
import { createCliContext, exitWithError } from './cli-context.js';
import { demoCommand } from './demo.command.js';
import { ingestCommand } from './ingest.command.js';
import { migrateCommand } from './migrate.command.js';
import { publishCommand } from './publish.command.js';

// `npx ledger <command>`: the operator's and auditor's tool. Every command takes --json
// (one JSON object on stdout as its result) and reads DATABASE_URL / KAFKA_BROKERS.

const program = new Command('ledger')
  .description('Accountability ledger: publish and ingest records, run migrations, run the demo.')
  .option('--json', 'print the result as one JSON object')
  .option('-v, --verbose', 'log progress details to stderr')
  .showHelpAfterError();

function run(action: (context: ReturnType<typeof createCliContext>) => Promise<void>) {
  return async () => {
    const options = program.opts<{ json?: boolean; verbose?: boolean }>();
    try {
      await action(createCliContext(options));
      process.exit(0);
    } catch (error) {
      exitWithError(error, Boolean(options.json));
    }
  };
}

program
  .command('publish')
  .description('publish records to the ledger input topics on Kafka (NDJSON, CloudTrail delivery files, or folders of them)')
  .argument('<file...>', 'files or folders')
  .action((files: string[]) => run((context) => publishCommand(context, files))());

program
  .command('ingest')
  .description('append records straight into the ledger database, without Kafka (same formats as publish)')
  .argument('<file...>', 'files or folders')
  .action((files: string[]) => run((context) => ingestCommand(context, files))());

program
  .command('migrate')
  .description('create the database if missing and apply pending migrations')
  .action(() => run((context) => migrateCommand(context))());

const positiveInteger = (value: string) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
};

program
  .command('demo')
  .description('start the ledger, publish a generated day with seeded incidents (or --input files), summarise, keep serving')
  .option('--exit', 'stop after printing the summary')
  .option('--input <path...>', 'publish these files or folders instead of the generated workload')
  .addOption(new Option('--seed <n>', 'workload generator seed').argParser(positiveInteger).default(20261102))
  .addOption(new Option('--timeout <seconds>', 'give up waiting for ingestion after this long').argParser(positiveInteger).default(300))
  .action((options: { exit?: boolean; input?: string[]; seed: number; timeout: number }) =>
    run((context) => demoCommand(context, { exit: Boolean(options.exit), input: options.input, seed: options.seed, timeoutSeconds: options.timeout }))(),
  );

await program.parseAsync(process.argv);
