import cliProgress from 'cli-progress';

export interface Progress {
  increment(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

/** A progress bar on an interactive terminal (stderr); silent otherwise. */
export function createProgress(interactive: boolean, label: string, total = 0): Progress {
  if (!interactive) return { increment() {}, setTotal() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} ({percentage}%) {eta_formatted} left`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    setTotal: (value) => bar.setTotal(value),
    stop: () => bar.stop(),
  };
}
