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
  @ApiOperation({ summary: 'Postgres and Kafka are reachable, and every configured ingest worker (LEDGER_INGEST_WORKERS) is consuming.' })
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
    const checks: Record<string, string> = { postgres, kafka };
    // A worker that died is restarted, but until it consumes again its share of the
    // partitions waits for the group to rebalance: the instance is degraded, not ready.
    const workers = this.runtime.ingestWorkersStatus();
    if (workers) checks.ingest_workers = workers.ready === workers.configured ? 'ok' : `${workers.ready} of ${workers.configured} ready`;
    const healthy = Object.values(checks).every((check) => check === 'ok');
    response.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'unavailable', checks };
  }
}
