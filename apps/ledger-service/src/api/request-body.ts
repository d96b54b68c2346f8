import type { Request } from 'express';
import { InvalidArgumentError, PayloadTooLargeError } from '#domain';

/** Reads the raw body (byte-faithful: it becomes the events' `raw`), refusing more than `limit` bytes. */
export async function readBody(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON object body (the service has no global body parser: ingest needs the raw bytes). */
export async function readJsonObject(request: Request, limit: number): Promise<Record<string, unknown>> {
  const text = (await readBody(request, limit)).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('body', 'body must be a JSON object');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError('body', 'body must be a JSON object');
  return value as Record<string, unknown>;
}
