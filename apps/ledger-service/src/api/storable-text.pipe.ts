import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { InvalidArgumentError } from '#domain';

/**
 * A global last line for request values: Postgres text cannot hold U+0000, so a path or
 * query value carrying one would fail in SQL (a 500) wherever a controller forgot to check.
 * Here it is a 400 naming the parameter, on every endpoint, before any handler runs.
 */
@Injectable()
export class StorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query') return value;
    if (typeof value === 'string') refuseNul(metadata.data ?? metadata.type, value);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (typeof item === 'string') refuseNul(key, item);
      }
    }
    return value;
  }
}

function refuseNul(field: string, value: string): void {
  if (value.includes('\u0000')) throw new InvalidArgumentError(field, `${field} must not contain U+0000`);
}
