import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { LedgerRuntime } from '../ledger-runtime.js';
import { LEDGER_RUNTIME } from '../tokens.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics: ingest counters and latency, ledger size, reader lag, process; with ingest workers, summed over the service and its workers.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } })
  async metrics(@Res() response: Response): Promise<void> {
    const { contentType, text } = await this.runtime.metricsExposition();
    response.type(contentType).send(text);
  }
}
