/**
 * Output shapes for feeding the ledger: NDJSON (one record per line, as Kafka producers and
 * `ledger ingest` files take it) and CloudTrail's S3 delivery files (`{"Records":[...]}`).
 */
export function toNdjson(records: Iterable<object>): string {
  let out = '';
  for (const r of records) out += JSON.stringify(r) + '\n';
  return out;
}

export interface CloudTrailDeliveryFile<T extends object = object> {
  Records: T[];
}

/**
 * Splits records, in order, into delivery files of at most `recordsPerFile` records. Real
 * CloudTrail files also split by account and region; consumers must not rely on either.
 */
export function toCloudTrailDeliveryFiles<T extends object>(records: readonly T[], recordsPerFile: number): CloudTrailDeliveryFile<T>[] {
  if (!Number.isInteger(recordsPerFile) || recordsPerFile < 1) throw new RangeError('recordsPerFile must be an integer >= 1');
  const files: CloudTrailDeliveryFile<T>[] = [];
  for (let i = 0; i < records.length; i += recordsPerFile) files.push({ Records: records.slice(i, i + recordsPerFile) });
  return files;
}
