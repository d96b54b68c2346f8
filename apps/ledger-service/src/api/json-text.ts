import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';

/** A response body that is already JSON text: sent as it is, never serialized again. */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * Sends a handler's JsonText with `Content-Type: application/json`. Nest would serialize an
 * object with JSON.stringify; a string it sends as it is, which is what this hands it.
 */
@Injectable()
export class JsonTextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (!(body instanceof JsonText)) return body;
        context.switchToHttp().getResponse<Response>().type('application/json');
        return body.text;
      }),
    );
  }
}
