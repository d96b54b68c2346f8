import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Logger } from 'pino';
import type { LedgerConfig } from '#config';
import { PinoNestLogger } from '#logging';
import { AppModule } from './app.module.js';
import { LedgerRuntime } from './ledger-runtime.js';

export interface RunningLedger {
  app: NestExpressApplication;
  runtime: LedgerRuntime;
  /** Base URL the API listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Start the Kafka consumer and DLQ relay (off for API-only tests). */
  workers?: boolean;
}

/** Prepares the database, builds the Nest application, starts the workers and listens. */
export async function startLedger(config: LedgerConfig, logger: Logger, options: StartOptions = {}): Promise<RunningLedger> {
  await LedgerRuntime.prepareDatabase(config, logger);
  const runtime = new LedgerRuntime(config, logger);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRuntime(runtime), {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    // Ingest reads raw bytes itself (they become the events' `raw`); see EventsController.
    bodyParser: false,
  });
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  // Express would hash every response body for a weak ETag: a SHA-1 over each ~300 KB
  // timeline page, 3% of the service's time under the who-did-what load, for a header no
  // client of a paged, growing timeline revalidates with.
  app.disable('etag');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Accountability ledger')
      .setDescription('Who did what, attributed to an accountable person, in an append-only, tamper-evident ledger.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
  app.enableShutdownHooks();
  await runtime.loadIdentityMap();
  if (options.workers !== false) await runtime.startWorkers();
  await app.listen(config.http.port, config.http.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const host = config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host;
  let closed = false;
  return {
    app,
    runtime,
    url: `http://${host}:${port}`,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await runtime.stop();
    },
  };
}
