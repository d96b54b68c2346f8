import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '#domain';
import { grants, parseScopes, SCOPES } from './scopes.js';

describe('scopes', () => {
  it('admin implies every scope; any other scope only itself', () => {
    for (const required of SCOPES) expect(grants(['admin'], required)).toBe(true);
    expect(grants(['events:read'], 'events:read')).toBe(true);
    expect(grants(['events:read'], 'ingest:write')).toBe(false);
    expect(grants(['ingest:write', 'exports:create'], 'admin')).toBe(false);
    expect(grants([], 'events:read')).toBe(false);
  });

  it('parses a comma list, deduplicated in catalogue order', () => {
    expect(parseScopes(' ingest:write, events:read,events:read ')).toEqual(['events:read', 'ingest:write']);
  });

  it('refuses unknown and empty scope lists, naming the field', () => {
    expect(() => parseScopes('events:read,events:write')).toThrow(/unknown scope\(s\): events:write/);
    expect(() => parseScopes(' , ')).toThrow(InvalidArgumentError);
    const error = (() => {
      try {
        parseScopes('root');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).details).toEqual({ field: 'scopes' });
  });
});
