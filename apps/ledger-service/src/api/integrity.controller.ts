import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CheckpointDto, ConsistencyProofDto, SigningKeysDto, VerificationReportDto } from '#api-contracts';
import { InvalidArgumentError, NotFoundError } from '#domain';
import { LedgerIntegrity, publishCheckpoint } from '#integrity';
import { RequiresScope, SelfAudit } from './access.guard.js';
import { ApiProblem } from './api-docs.decorators.js';
import { parseQuery } from './query-parameters.js';

const treeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const consistencyQuery = z.object({ from: treeSize, to: treeSize.optional() }).strict();

/**
 * Tamper evidence (DESIGN 6): signed checkpoints, consistency proofs between them, the
 * public keys, and a full verification of the stored ledger. How to check each answer
 * independently is in docs/integrity.md.
 */
@ApiTags('integrity')
@Controller('v1/integrity')
export class IntegrityController {
  constructor(private readonly integrity: LedgerIntegrity) {}

  @Get('checkpoints/latest')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetLatestCheckpoint' })
  @ApiOperation({ summary: 'The latest signed checkpoint (tree size, root hash, time, key id, and the signed note).' })
  @ApiOkResponse({ type: CheckpointDto })
  @ApiProblem(404, 'No checkpoint has been made yet.')
  async latest() {
    const checkpoint = await this.integrity.proofs.latestCheckpoint();
    if (!checkpoint) throw new NotFoundError('checkpoint', 'latest');
    return checkpoint;
  }

  @Get('checkpoints/:tree_size')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetCheckpoint', target: { param: 'tree_size', type: 'ledger_checkpoint' } })
  @ApiOperation({ summary: 'The (latest) signed checkpoint of one tree size.' })
  @ApiParam({ name: 'tree_size', schema: { type: 'integer', minimum: 0 } })
  @ApiOkResponse({ type: CheckpointDto })
  @ApiProblem(404, 'No checkpoint of this size.')
  async ofSize(@Param('tree_size') size: string) {
    return this.integrity.proofs.checkpoint(parseTreeSize('tree_size', size));
  }

  @Post('checkpoints')
  @HttpCode(201)
  @RequiresScope('admin')
  @SelfAudit({ operation: 'MakeCheckpoint', kind: 'write' })
  @ApiOperation({
    summary: 'Extend the Merkle tree to every committed event and sign a checkpoint now.',
    description: 'Checkpoints are also made every LEDGER_CHECKPOINT_INTERVAL_MS when the ledger grew. Waits for a checkpoint pass of another instance to finish.',
  })
  @ApiCreatedResponse({ type: CheckpointDto })
  async make() {
    return publishCheckpoint(await this.integrity.checkpointer.checkpointNow());
  }

  @Get('consistency')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetConsistencyProof' })
  @ApiOperation({
    summary: 'Consistency proof (RFC 9162) between two checkpoints: the later tree extends the earlier one.',
    description: 'Both sizes must be sizes of stored checkpoints; both signed notes are included. Verify with docs/integrity.md section 7.2.',
  })
  @ApiQuery({ name: 'from', required: true, schema: { type: 'integer', minimum: 0 }, description: 'Tree size of the earlier checkpoint.' })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'integer', minimum: 0 }, description: 'Tree size of the later checkpoint (default: the latest).' })
  @ApiOkResponse({ type: ConsistencyProofDto })
  @ApiProblem(404, 'No checkpoint of one of the sizes.')
  async consistency(@Query() query: unknown) {
    const q = parseQuery(consistencyQuery, query);
    return this.integrity.proofs.consistencyProof(q.from, q.to);
  }

  @Get('keys')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetSigningKeys' })
  @ApiOperation({
    summary: 'The public keys that sign checkpoints, with their validity windows.',
    description: 'For convenience: an auditor confirms the vkeys out of band (docs/integrity.md, "Keys") before trusting them.',
  })
  @ApiOkResponse({ type: SigningKeysDto })
  async keys() {
    return { origin: this.integrity.settings.origin, keys: await this.integrity.publishedKeys() };
  }

  @Get('verify')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'VerifyLedger' })
  @ApiOperation({
    summary: 'Recompute the whole log and report the first bad position and the kind of tampering.',
    description:
      'Streams every event in position order (memory stays flat), recomputes the leaf hashes and the Merkle tree, checks every ' +
      'checkpoint signature against the service\'s trusted keys, and compares. 200 in both cases: `ok` says whether anything was found.',
  })
  @ApiOkResponse({ type: VerificationReportDto })
  async verify() {
    return this.integrity.verify();
  }
}

function parseTreeSize(field: string, value: string): number {
  const parsed = treeSize.safeParse(value);
  if (!/^\d+$/.test(value) || !parsed.success) throw new InvalidArgumentError(field, `${field} must be a non-negative integer`);
  return parsed.data;
}
