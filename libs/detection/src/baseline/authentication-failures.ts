import { draft, takeThrottle, type EventContext } from '../engine/detection-context.js';
import { isAuthenticationAttempt } from '../event-facts.js';
import { formatDuration } from '../facts-format.js';

/**
 * Failed sign-ins against one subject: a burst of failures in a short window
 * (`failed_login_burst`), and a success that follows enough failures
 * (`brute_force_success`). People mistype a password once or twice; the threshold is the
 * configured floor or, for a subject that fails more often, twice its own worst window
 * plus one. These detectors wait only for the organisation warm-up: the target of a
 * password spray is often an account that has been quiet.
 */
export function authenticationFailures(ctx: EventContext, organisationWarm: boolean): void {
  const e = ctx.event;
  if (!isAuthenticationAttempt(e)) return;
  const s = ctx.subject;
  const { failedLogins, bruteForce } = ctx.env.config;
  const keep = Math.max(failedLogins.windowMs, bruteForce.windowMs);
  s.failures = s.failures.filter((f) => f.t > ctx.t - keep && f.t <= ctx.t + keep);

  if (e.outcome === 'failure') {
    s.failures.push({ t: ctx.t, id: e.id });
    s.failures.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
    // a late failure may complete a window that ends after it: use the latest failure within reach
    let end = ctx.t;
    for (const f of s.failures) if (f.t > end && f.t <= ctx.t + failedLogins.windowMs) end = f.t;
    const inWindow = s.failures.filter((f) => f.t > end - failedLogins.windowMs && f.t <= end);
    const threshold = Math.max(failedLogins.threshold, 2 * s.failureBaseline + 1);
    if (inWindow.length < threshold) return;
    if (!organisationWarm || !takeThrottle(s, 'failed-burst', ctx.t, failedLogins.windowMs)) return;
    draft(ctx, 'failed_login_burst', inWindow.length >= 3 * threshold ? 'high' : 'medium', inWindow.map((f) => f.id), [
      `${inWindow.length} failed sign-ins for this subject within ${formatDuration(failedLogins.windowMs)}`,
      `threshold: ${threshold} (the subject's own worst window before: ${s.failureBaseline} failure${s.failureBaseline === 1 ? '' : 's'})`,
      sourcesFact(ctx),
    ], { failures: inWindow.length, threshold, window_ms: failedLogins.windowMs });
    return;
  }
  if (e.outcome !== 'success') return;
  const before = s.failures.filter((f) => f.t > ctx.t - bruteForce.windowMs && f.t <= ctx.t);
  if (before.length >= bruteForce.minFailures) {
    if (organisationWarm)
      draft(ctx, 'brute_force_success', 'high', [...before.map((f) => f.id), e.id], [
      `a successful sign-in followed ${before.length} failures within ${formatDuration(bruteForce.windowMs)}`,
      `success from ${e.source.ip ?? e.source.service ?? 'an unknown source'}`,
      ], { failures: before.length, window_ms: bruteForce.windowMs });
  } else if (before.length > 0) {
    // mistyped passwords that ended in a success are the subject's normal; capped so that
    // a subject cannot teach the detector to ignore a real burst
    s.failureBaseline = Math.max(s.failureBaseline, Math.min(before.length, failedLogins.threshold - 1));
  }
  // a success ends the attempt: later failures start a new count
  s.failures = s.failures.filter((f) => f.t > ctx.t);
}

function sourcesFact(ctx: EventContext): string {
  const ip = ctx.event.source.ip;
  return ip === null ? 'the latest attempt came from no reported address' : `the latest attempt came from ${ip}${ctx.geo?.country ? ` (${ctx.geo.country})` : ''}`;
}
