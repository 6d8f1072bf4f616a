import { describe, expect, it } from 'vitest';
import type { Clock } from '../../harness/runner/clock.js';
import { pollUntil } from '../../harness/runner/poll.js';

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    wallNow: () => now,
    monotonicNow: () => now,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
      now += milliseconds;
    },
  };
}

describe('pollUntil', () => {
  it('returns the first value that satisfies the condition', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await pollUntil({ probe: async () => ++calls, until: (value) => value === 3, timeoutMs: 1_000, intervalMs: 100, clock });
    expect(result).toEqual({ ok: true, value: 3, attempts: 3, elapsedMs: 200 });
  });

  it('probes once more at the deadline and then gives up', async () => {
    const clock = fakeClock();
    const result = await pollUntil({ probe: async () => 'no', until: () => false, timeoutMs: 250, intervalMs: 100, clock });
    expect(clock.sleeps).toEqual([100, 100, 50]);
    expect(result).toMatchObject({ ok: false, lastValue: 'no', attempts: 4, elapsedMs: 250 });
  });

  it('keeps the last error of a throwing probe', async () => {
    const clock = fakeClock();
    const result = await pollUntil({
      probe: async () => {
        throw new Error('exec failed');
      },
      until: () => true,
      timeoutMs: 100,
      intervalMs: 100,
      clock,
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : (result.lastError as Error).message).toBe('exec failed');
  });

  it('probes at least once with a zero timeout', async () => {
    const result = await pollUntil({ probe: async () => 1, until: (value) => value === 1, timeoutMs: 0, intervalMs: 100, clock: fakeClock() });
    expect(result.ok).toBe(true);
  });
});
