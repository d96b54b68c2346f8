import { Command, InvalidArgumentError, Option } from 'commander';
import { createCliContext, exitWithError } from './cli-context.js';
import { demoCommand } from './demo.command.js';
import { ingestCommand } from './ingest.command.js';
import { checkpointCommand, rotateSigningKeyCommand, showSigningKeyCommand, verifyCommand } from './integrity.command.js';
import { keysCreateCommand, keysListCommand, keysRevokeCommand } from './keys.command.js';
import { migrateCommand } from './migrate.command.js';
import { publishCommand } from './publish.command.js';
import { PROJECTION_NAMES, rebuildCommand } from './rebuild.command.js';
import { evaluateCommand } from './evaluate.command.js';

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
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
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

const keys = program
  .command('keys')
  .description('API keys for the REST API: stored only as hashes; creating and revoking one is recorded in the ledger');
keys
  .command('create')
  .description('create a key (printed once) for an accountable person, with scopes')
  .requiredOption('--owner <subject>', 'the accountable person the key acts for; reads with it are attributed to them')
  .requiredOption('--scopes <list>', 'comma-separated: events:read, anomalies:triage, exports:create, ingest:write, admin')
  .option('--actor <subject>', 'who is creating it, as recorded in the ledger (default local:<os user>)')
  .action((options: { owner: string; scopes: string; actor?: string }) => run((context) => keysCreateCommand(context, options))());
keys
  .command('list')
  .description('list keys (never the keys themselves)')
  .action(() => run((context) => keysListCommand(context))());
keys
  .command('revoke')
  .description('revoke a key at once (by id, lgr_<id> prefix, or the key)')
  .argument('<id>', 'key id as `keys list` shows it')
  .option('--actor <subject>', 'who is revoking it, as recorded in the ledger (default local:<os user>)')
  .action((id: string, options: { actor?: string }) => run((context) => keysRevokeCommand(context, id, options))());

program
  .command('rebuild')
  .description('empty a projection (or all of them) and replay the ledger into it from position 0, all in one pass')
  .argument('[name]', `projection name: ${PROJECTION_NAMES.join(', ')} (default: all)`)
  .action((name: string | undefined) => run((context) => rebuildCommand(context, name))());

const positiveInteger = (value: string) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
};

program
  .command('verify')
  .description('recompute the whole ledger and its Merkle log; report the first bad position and the kind of tampering (exit code 3 when found)')
  .option('--public-key <vkey-or-file...>', 'trust these keys (vkeys, or files of them) instead of LEDGER_VERIFIER_KEYS_FILE')
  .option('--checkpoint <file...>', 'signed checkpoints you kept from earlier: the ledger must still match them')
  .action((options: { publicKey?: string[]; checkpoint?: string[] }) => run((context) => verifyCommand(context, options))());

program
  .command('checkpoint')
  .description('extend the Merkle tree to every committed event and sign a checkpoint now')
  .action(() => run((context) => checkpointCommand(context))());

const signingKey = program.command('signing-key').description('the key that signs checkpoints (LEDGER_SIGNING_KEY_FILE)');
signingKey
  .command('show')
  .description('print the public key(s) to hand to auditors out of band')
  .action(() => run((context) => showSigningKeyCommand(context))());
signingKey
  .command('rotate')
  .description('replace the signing key; checkpoints signed by the old key stay verifiable with its public key')
  .action(() => run((context) => rotateSigningKeyCommand(context))());

program
  .command('evaluate')
  .description('measure detection: precision and recall per anomaly type on a generated workload; with --data, labelled and Stratus cases too')
  .option('--data <dir>', 'folder with labelled/ and cloudtrail/stratus/ (e.g. ../shared/data)')
  .addOption(new Option('--seed <n>', 'workload seed').argParser(positiveInteger).default(42))
  .addOption(new Option('--days <n>', 'days of generated activity').argParser(positiveInteger).default(42))
  .addOption(new Option('--subjects <n>', 'people in the generated organisation').argParser(positiveInteger).default(48))
  .action((options: { data?: string; seed: number; days: number; subjects: number }) =>
    run((context) => evaluateCommand(context, options))(),
  );

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
