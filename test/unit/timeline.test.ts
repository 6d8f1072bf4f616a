import { describe, expect, it } from 'vitest';
import { DrillJournal, type StepRecord, type TimelineEvent } from '../../harness/journal/journal.js';
import { drillTimings, millisecondsBetween, overheadOf, timelineEntries } from '../../harness/journal/timeline.js';
import type { Clock } from '../../harness/runner/clock.js';

function event(name: TimelineEvent['name'], monotonicMs: number, at = 1_800_000_000_000 + monotonicMs): TimelineEvent {
  return { name, at, monotonicMs };
}

function manualClock(start = 1_000): Clock & { advance(milliseconds: number): void } {
  let now = start;
  return {
    wallNow: () => 1_800_000_000_000 + now,
    monotonicNow: () => now,
    sleep: async (milliseconds) => {
      now += milliseconds;
    },
    advance(milliseconds) {
      now += milliseconds;
    },
  };
}

describe('timeline arithmetic', () => {
  const events = [event('steady-state.ok', 100), event('fault.injected', 1_000), event('symptom.confirmed', 2_050.44), event('detected', 3_500)];

  it('measures intervals on the monotonic clock', () => {
    expect(millisecondsBetween(events, 'fault.injected', 'detected')).toBe(2_500);
    expect(millisecondsBetween(events, 'fault.injected', 'symptom.confirmed')).toBe(1_050.4);
  });

  it('returns undefined when an event is missing', () => {
    expect(millisecondsBetween(events.slice(0, 2), 'fault.injected', 'detected')).toBeUndefined();
  });

  it('gives offsets since the fault, negative before it', () => {
    expect(timelineEntries(events).map((entry) => entry.sinceFaultMs)).toEqual([-900, 0, 1_050.4, 2_500]);
  });

  it('gives null offsets without a fault', () => {
    expect(timelineEntries([event('steady-state.ok', 5)])[0]!.sinceFaultMs).toBeNull();
  });

  it('formats wall-clock times as ISO 8601', () => {
    expect(timelineEntries([event('fault.injected', 0, Date.UTC(2026, 11, 4, 20, 0, 0))])[0]!.at).toBe('2026-12-04T20:00:00.000Z');
  });

  it('computes time to symptom and to detect', () => {
    expect(drillTimings(events)).toEqual({ timeToSymptomMs: 1_050.4, timeToDetectMs: 2_500, timeToAlertMs: null, timeToNotifyMs: null, timeToRecoverMs: null, timeToResolveMs: null });
    expect(drillTimings(events.slice(0, 2))).toMatchObject({ timeToSymptomMs: null, timeToDetectMs: null });
  });

  it('measures resolution from recovery without a heal', () => {
    const recovered = [...events, event('recovered', 9_000), event('alert.resolved', 9_500)];
    expect(drillTimings(recovered)).toMatchObject({ timeToRecoverMs: 8_000, timeToResolveMs: 500 });
  });

  it('computes time to alert, notify and resolve', () => {
    const alerting = [...events, event('alert.firing', 6_000), event('notification.delivered', 7_500), event('fault.healed', 10_000), event('alert.resolved', 11_250)];
    expect(drillTimings(alerting)).toMatchObject({ timeToAlertMs: 5_000, timeToNotifyMs: 6_500, timeToResolveMs: 1_250 });
  });
});

describe('overheadOf', () => {
  const step = (systemWaitMs: number): StepRecord => ({ id: 's', title: 's', status: 'passed', startedAt: 0, durationMs: 0, systemWaitMs });

  it('subtracts the time spent waiting for the system', () => {
    expect(overheadOf({ wallMs: 10_000.4, steps: [step(2_000), step(3_000.2)] })).toEqual({ wallMs: 10_000, systemWaitMs: 5_000, harnessOverheadMs: 5_000 });
  });

  it('never reports negative overhead', () => {
    expect(overheadOf({ wallMs: 100, steps: [step(150)] }).harnessOverheadMs).toBe(0);
  });
});

describe('DrillJournal', () => {
  it('records events on its clock and derives the verdict from the steps', () => {
    const clock = manualClock();
    const journal = new DrillJournal({ drill: 'd', system: 's', fault: 'f', clock });
    clock.advance(250);
    const recorded = journal.recordEvent('fault.injected', { pid: 42 });
    expect(recorded).toEqual({ name: 'fault.injected', at: 1_800_000_001_250, monotonicMs: 1_250, detail: { pid: 42 } });

    expect(journal.verdict).toBe('failed');
    journal.recordStep({ id: 'a', title: 'a', status: 'passed', startedAt: 0, durationMs: 1, systemWaitMs: 0 });
    expect(journal.verdict).toBe('passed');
    journal.recordStep({ id: 'b', title: 'b', status: 'skipped', startedAt: 0, durationMs: 0, systemWaitMs: 0 });
    expect(journal.verdict).toBe('passed');
    journal.recordStep({ id: 'c', title: 'c', status: 'failed', startedAt: 0, durationMs: 0, systemWaitMs: 0 });
    expect(journal.verdict).toBe('failed');

    const earlier = journal.recordEventAt('recovery.action', 1_800_000_001_000, { unit: 'worker.service' });
    expect(earlier.monotonicMs).toBe(1_000);
    expect(timelineEntries(journal.events).map((entry) => entry.name)).toEqual(['recovery.action', 'fault.injected']);

    clock.advance(750);
    journal.finish();
    expect(journal.wallMs).toBe(1_000);
  });
});
