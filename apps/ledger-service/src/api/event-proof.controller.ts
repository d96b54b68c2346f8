import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { InclusionProofDto } from '#api-contracts';
import { LedgerIntegrity } from '#integrity';
import { RequiresScope, SelfAudit } from './access.guard.js';
import { ApiProblem } from './api-docs.decorators.js';
import { parseQuery, pathParameter } from './query-parameters.js';

const proofQuery = z.object({ tree_size: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }).strict();

@ApiTags('events')
@Controller('v1/events')
export class EventProofController {
  constructor(private readonly integrity: LedgerIntegrity) {}

  @Get(':id/proof')
  @RequiresScope('events:read')
  @SelfAudit({ operation: 'GetEventProof', target: { param: 'id', type: 'ledger_event' } })
  @ApiOperation({
    summary: "An event's inclusion proof (RFC 9162) against the latest signed checkpoint.",
    description:
      'Includes the event in canonical JSON (`document`), its leaf hash, the audit path and the signed checkpoint. ' +
      'Verify with docs/integrity.md section 7.1. For an id shared by different records, the first stored is proven.',
  })
  @ApiParam({ name: 'id', description: 'Source-unique event id.' })
  @ApiQuery({ name: 'tree_size', required: false, schema: { type: 'integer', minimum: 0 }, description: 'Prove against the checkpoint of this size instead of the latest.' })
  @ApiOkResponse({ type: InclusionProofDto })
  @ApiProblem(404, 'No event with this id, or no checkpoint of that size.')
  @ApiProblem(409, 'The event is newer than the checkpoint: retry after the next one.')
  async proof(@Param('id') id: string, @Query() query: unknown) {
    const q = parseQuery(proofQuery, query);
    return this.integrity.proofs.inclusionProof(pathParameter('id', id), q.tree_size);
  }
}
