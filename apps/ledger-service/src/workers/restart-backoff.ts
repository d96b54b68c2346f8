export interface RestartBackoff {
  /** Delay before restarting a worker that died after running fine. */
  firstMs: number;
  /** Longest delay, however often a worker keeps dying. */
  maxMs: number;
  /** A worker up at least this long counts as having run fine: its next death starts over at firstMs. */
  stableAfterMs: number;
}

export const DEFAULT_RESTART_BACKOFF: RestartBackoff = { firstMs: 500, maxMs: 30_000, stableAfterMs: 60_000 };

/**
 * When to restart a worker that just exited, and how many failures in a row that makes.
 * Doubling keeps a worker that cannot start (broker or database down, a bad deployment) from
 * spinning on the CPU and flooding the log, while a one-off crash is repaired within a second.
 */
export function nextRestart(
  failuresInARow: number,
  upForMs: number,
  backoff: RestartBackoff = DEFAULT_RESTART_BACKOFF,
): { delayMs: number; failuresInARow: number } {
  const previous = upForMs >= backoff.stableAfterMs ? 0 : Math.max(0, failuresInARow);
  // 2 ** 60 and beyond only ever meet the cap; the exponent is bounded to keep the number finite.
  const delayMs = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(previous, 60));
  return { delayMs, failuresInARow: previous + 1 };
}
