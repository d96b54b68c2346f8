import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthDto } from '#api-contracts';
import { kafkaReachable } from '#messaging';
import type { LedgerRuntime } from '../ledger-runtime.js';
import { LEDGER_RUNTIME } from '../tokens.js';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(LEDGER_RUNTIME) private readonly runtime: LedgerRuntime) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (no dependency checked).' })
  @ApiOkResponse({ type: HealthDto })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Postgres and Kafka are reachable.' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async ready(@Res({ passthrough: true }) response: Response) {
    const [postgres, kafka] = await Promise.all([
      this.runtime.pool.query('SELECT 1').then(
        () => 'ok',
        (error: Error) => error.message,
      ),
      kafkaReachable(this.runtime.kafka).then((ok) => (ok ? 'ok' : 'no broker answered')),
    ]);
    const healthy = postgres === 'ok' && kafka === 'ok';
    response.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'unavailable', checks: { postgres, kafka } };
  }
}
