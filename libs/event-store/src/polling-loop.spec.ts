import { afterEach, describe, expect, it, vi } from 'vitest';
import { PollingLoop } from './polling-loop.js';

describe('PollingLoop', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a pass, then the next one after the interval', async () => {
    vi.useFakeTimers();
    let passes = 0;
    const loop = new PollingLoop(async () => passes++, () => undefined);
    loop.start(1000);
    await vi.advanceTimersByTimeAsync(10);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(2);
    await loop.stop();
  });

  it('starts the next pass at once when woken while waiting', async () => {
    vi.useFakeTimers();
    let passes = 0;
    const loop = new PollingLoop(async () => passes++, () => undefined);
    loop.start(60_000);
    await vi.advanceTimersByTimeAsync(10);
    loop.wake();
    await vi.advanceTimersByTimeAsync(10);
    expect(passes).toBe(2);
    await loop.stop();
  });

  it('runs once more right after a pass that was running when woken', async () => {
    vi.useFakeTimers();
    let passes = 0;
    let release: () => void = () => undefined;
    const loop = new PollingLoop(
      () => {
        passes++;
        return passes === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
      () => undefined,
    );
    loop.start(60_000);
    await vi.advanceTimersByTimeAsync(10);
    loop.wake();
    expect(passes).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(passes).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(passes).toBe(2);
    await loop.stop();
  });

  it('does nothing once stopped', async () => {
    vi.useFakeTimers();
    let passes = 0;
    const loop = new PollingLoop(async () => passes++, () => undefined);
    loop.start(1000);
    await vi.advanceTimersByTimeAsync(10);
    await loop.stop();
    loop.wake();
    await vi.advanceTimersByTimeAsync(5000);
    expect(passes).toBe(1);
  });
});
