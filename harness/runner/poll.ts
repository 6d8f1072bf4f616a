import { systemClock, type Clock } from './clock.js';

export interface PollOptions<T> {
  /** Reads the current state; an exception counts as a failed attempt and is kept as evidence. */
  probe: () => Promise<T>;
  /** Whether the state is the one waited for. */
  until: (value: T) => boolean;
  timeoutMs: number;
  intervalMs: number;
  clock?: Clock;
}

export type PollResult<T> =
  | { ok: true; value: T; attempts: number; elapsedMs: number }
  | { ok: false; lastValue: T | undefined; lastError: unknown; attempts: number; elapsedMs: number };

/**
 * Probes until `until` returns true or the deadline passes. The probe always runs
 * at least once, and once more at the deadline, so a short timeout still gets a result.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<PollResult<T>> {
  const clock = options.clock ?? systemClock;
  const start = clock.monotonicNow();
  let attempts = 0;
  let lastValue: T | undefined;
  let lastError: unknown;

  for (;;) {
    attempts += 1;
    try {
      lastValue = await options.probe();
      lastError = undefined;
      if (options.until(lastValue)) {
        return { ok: true, value: lastValue, attempts, elapsedMs: clock.monotonicNow() - start };
      }
    } catch (error) {
      lastError = error;
    }

    const elapsedMs = clock.monotonicNow() - start;
    if (elapsedMs >= options.timeoutMs) {
      return { ok: false, lastValue, lastError, attempts, elapsedMs };
    }
    await clock.sleep(Math.min(options.intervalMs, options.timeoutMs - elapsedMs));
  }
}
