import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { EventQueryRepository, EventStoreRepository, SubjectQueryRepository } from '#event-store';
import { IngestService } from '#ingestion';
import { IdentityRepository } from '#attribution';
import { AccountabilityRepository, SubjectsRepository } from '#projections';
import { accessProviders } from './api/access.providers.js';
import { StorableTextPipe } from './api/storable-text.pipe.js';
import { EventsController } from './api/events.controller.js';
import { ProblemDetailsFilter } from './api/problem-details.filter.js';
import { SubjectsController } from './api/subjects.controller.js';
import { TargetsController } from './api/targets.controller.js';
import { AnomaliesController } from './api/anomalies.controller.js';
import { AccountsController } from './api/accounts.controller.js';
import { HealthController } from './health/health.controller.js';
import { EventProofController } from './api/event-proof.controller.js';
import { IntegrityController } from './api/integrity.controller.js';
import { LedgerIntegrity } from '#integrity';
import { MetricsController } from './metrics/metrics.controller.js';
import type { LedgerRuntime } from './ledger-runtime.js';
import { LEDGER_CONFIG, LEDGER_RUNTIME } from './tokens.js';
import { JsonTextInterceptor } from './api/json-text.js';

@Module({})
export class AppModule {
  static forRuntime(runtime: LedgerRuntime): DynamicModule {
    return {
      module: AppModule,
      controllers: [EventsController, EventProofController, IntegrityController, SubjectsController, TargetsController, AnomaliesController, AccountsController, HealthController, MetricsController],
      providers: [
        { provide: LEDGER_RUNTIME, useValue: runtime },
        { provide: LEDGER_CONFIG, useValue: runtime.config },
        { provide: EventQueryRepository, useValue: runtime.queries },
        { provide: EventStoreRepository, useValue: runtime.store },
        { provide: IngestService, useValue: runtime.ingest },
        { provide: LedgerIntegrity, useValue: runtime.integrity },
        { provide: IdentityRepository, useValue: runtime.identities },
        { provide: SubjectQueryRepository, useValue: new SubjectQueryRepository(runtime.pool) },
        { provide: SubjectsRepository, useValue: new SubjectsRepository(runtime.pool) },
        { provide: AccountabilityRepository, useValue: new AccountabilityRepository(runtime.pool) },
        ...accessProviders,
        { provide: APP_PIPE, useClass: StorableTextPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: JsonTextInterceptor },
      ],
    };
  }
}
