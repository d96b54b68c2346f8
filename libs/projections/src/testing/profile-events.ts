import type { LedgerEvent } from '#domain';
import type { StoredEvent } from '#event-store';

/**
 * Hand-made stored events for the projections' unit tests: a CloudTrail-shaped event whose
 * raw record carries the request and response the facts are read from.
 */
export const ACCOUNT = '111122223333';
export const ADMIN = `arn:aws:iam::${ACCOUNT}:user/admin`;
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;

export function ledgerEvents(): { next(overrides: Partial<LedgerEvent> & { time: string }): StoredEvent } {
  let position = 0;
  return {
    next(overrides) {
      const p = position++;
      return {
        position: p,
        idCollision: false,
        reattribution: null,
        event: {
          schema_version: 'v1',
          id: `e${p}`,
          category: 'activity',
          type: 'activity.api_call',
          received_at: overrides.time,
          actor: { subject: ADMIN, principal: ADMIN, kind: 'human', via: null, attribution: 'direct' },
          authentication: null,
          action: 's3:GetObject',
          target: null,
          outcome: 'success',
          outcome_reason: null,
          source: { ip: null, service: null, user_agent: null, host: null, geo: null },
          origin: { system: 'aws-cloudtrail', account: ACCOUNT, region: 'us-east-1', kafka: null },
          raw: '{}',
          ...overrides,
        },
      };
    },
  };
}

/** An IAM call by `ADMIN`; `target` as the CloudTrail normalizer would name it. */
export function iamCall(
  action: string,
  type: string,
  time: string,
  request: Record<string, unknown> | null,
  options: { response?: Record<string, unknown> | null; target?: LedgerEvent['target']; actor?: LedgerEvent['actor']; outcome?: LedgerEvent['outcome'] } = {},
): Partial<LedgerEvent> & { time: string } {
  const eventName = action.slice(action.indexOf(':') + 1);
  return {
    time,
    action,
    type,
    category: type.slice(0, type.indexOf('.')) as LedgerEvent['category'],
    target: options.target ?? null,
    outcome: options.outcome ?? 'success',
    ...(options.actor ? { actor: options.actor } : {}),
    raw: JSON.stringify({ eventName, eventSource: 'iam.amazonaws.com', requestParameters: request, responseElements: options.response ?? null }),
  };
}
