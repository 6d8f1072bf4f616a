import { setTimeout as sleep } from 'node:timers/promises';

/** Time source for polling and timelines, replaceable in unit tests. */
export interface Clock {
  /** Milliseconds since the epoch (wall clock), for timestamps in reports. */
  wallNow(): number;
  /** Monotonic milliseconds, for measuring durations. */
  monotonicNow(): number;
  sleep(milliseconds: number): Promise<void>;
}

export const systemClock: Clock = {
  wallNow: () => Date.now(),
  monotonicNow: () => performance.now(),
  sleep: (milliseconds) => sleep(milliseconds),
};
