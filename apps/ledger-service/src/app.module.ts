import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EventQueryRepository, EventStoreRepository } from '#event-store';
import { IngestService } from '#ingestion';
import { AccessGuard, OpenAccessPolicy } from './api/access.guard.js';
import { EventsController } from './api/events.controller.js';
import { ProblemDetailsFilter } from './api/problem-details.filter.js';
import { SubjectsController } from './api/subjects.controller.js';
import { HealthController } from './health/health.controller.js';
import type { LedgerRuntime } from './ledger-runtime.js';
import { ACCESS_POLICY, LEDGER_CONFIG, LEDGER_RUNTIME } from './tokens.js';

@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime): DynamicModule {
    return {
      module: AppModule,
      controllers: [EventsController, SubjectsController, HealthController],
      providers: [
        { provide: LEDGER_RUNTIME, useValue: runtime },
        { provide: LEDGER_CONFIG, useValue: runtime.config },
        { provide: EventQueryRepository, useValue: runtime.queries },
        { provide: EventStoreRepository, useValue: runtime.store },
        { provide: IngestService, useValue: runtime.ingest },
        { provide: ACCESS_POLICY, useClass: OpenAccessPolicy },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
