import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from './ledger-event.v1.schema.json' with { type: 'json' };

/** The canonical event v1 JSON Schema (draft 2020-12), as the API publishes it. */
export const LEDGER_EVENT_V1_SCHEMA: Readonly<Record<string, unknown>> = schema;

let validator: ValidateFunction | null = null;

/** Compiled once, on first use, so that importing the library costs nothing. */
function compiled(): ValidateFunction {
  if (validator === null) {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: false });
    validator = ajv.compile(schema);
  }
  return validator;
}

/** Null when `value` conforms to the schema, else the first violation as `<json pointer> <problem>`. */
export function ledgerEventSchemaViolation(value: unknown): string | null {
  const validate = compiled();
  if (validate(value)) return null;
  return describeError(validate.errors?.[0]);
}

function describeError(error: ErrorObject | undefined): string {
  if (!error) return 'does not match the ledger event schema';
  const path = error.instancePath === '' ? '/' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') detail = `has unknown property ${JSON.stringify(params.additionalProperty)}`;
  else if (error.keyword === 'required') detail = `is missing required property ${JSON.stringify(params.missingProperty)}`;
  else if (error.keyword === 'enum') detail = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  else if (error.keyword === 'const') detail = `must be ${JSON.stringify(params.allowedValue)}`;
  return `${path} ${detail}`;
}
