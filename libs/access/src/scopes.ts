import { InvalidArgumentError } from '#domain';

/** Every scope an API key may carry (DESIGN 8). `admin` implies all of the others. */
export const SCOPES = ['events:read', 'anomalies:triage', 'exports:create', 'ingest:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** True when a key holding `held` may call an endpoint that requires `required`. */
export function grants(held: readonly Scope[], required: Scope): boolean {
  return held.includes('admin') || held.includes(required);
}

/** `events:read,ingest:write` → the scopes, deduplicated; refuses unknown or no scopes. */
export function parseScopes(text: string, field = 'scopes'): Scope[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new InvalidArgumentError(field, `give at least one scope (${SCOPES.join(', ')})`);
  const unknown = names.filter((name) => !isScope(name));
  if (unknown.length) throw new InvalidArgumentError(field, `unknown scope(s): ${unknown.join(', ')}; known: ${SCOPES.join(', ')}`);
  return [...new Set(names as Scope[])].sort((a, b) => SCOPES.indexOf(a) - SCOPES.indexOf(b));
}
