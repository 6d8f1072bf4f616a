import type { DrillJournal, TimelineEvent, TimelineEventName } from './journal.js';

/** A timeline event with its offset from the fault, as reports show it. */
export interface TimelineEntry {
  name: TimelineEventName;
  at: string;
  /** Milliseconds since `fault.injected`; negative before it, null when there was no fault. */
  sinceFaultMs: number | null;
  detail?: Record<string, unknown>;
}

export function findEvent(events: TimelineEvent[], name: TimelineEventName): TimelineEvent | undefined {
  return events.find((event) => event.name === name);
}

/** Milliseconds from one event to another, rounded to 0.1 ms; undefined when either is missing. */
export function millisecondsBetween(events: TimelineEvent[], from: TimelineEventName, to: TimelineEventName): number | undefined {
  const start = findEvent(events, from);
  const end = findEvent(events, to);
  if (!start || !end) {
    return undefined;
  }
  return Math.round((end.monotonicMs - start.monotonicMs) * 10) / 10;
}

export function timelineEntries(events: TimelineEvent[]): TimelineEntry[] {
  const fault = findEvent(events, 'fault.injected');
  return [...events].sort((a, b) => a.monotonicMs - b.monotonicMs).map((event) => ({
    name: event.name,
    at: new Date(event.at).toISOString(),
    sinceFaultMs: fault ? Math.round((event.monotonicMs - fault.monotonicMs) * 10) / 10 : null,
    ...(event.detail ? { detail: event.detail } : {}),
  }));
}

/** Durations that reports give for a drill, each measured from `fault.injected`. */
export interface DrillTimings {
  timeToSymptomMs: number | null;
  timeToDetectMs: number | null;
  /** From the fault to the alert firing in Prometheus. */
  timeToAlertMs: number | null;
  /** From the fault to the first notification delivered to a receiver. */
  timeToNotifyMs: number | null;
  /** From the fault to the system's own recovery of every hot path. */
  timeToRecoverMs: number | null;
  /** From healing the fault, or the system's recovery, to the alert resolving in Prometheus. */
  timeToResolveMs: number | null;
}

export function drillTimings(events: TimelineEvent[]): DrillTimings {
  return {
    timeToSymptomMs: millisecondsBetween(events, 'fault.injected', 'symptom.confirmed') ?? null,
    timeToDetectMs: millisecondsBetween(events, 'fault.injected', 'detected') ?? null,
    timeToAlertMs: millisecondsBetween(events, 'fault.injected', 'alert.firing') ?? null,
    timeToNotifyMs: millisecondsBetween(events, 'fault.injected', 'notification.delivered') ?? null,
    timeToRecoverMs: millisecondsBetween(events, 'fault.injected', 'recovered') ?? null,
    timeToResolveMs: millisecondsBetween(events, 'fault.healed', 'alert.resolved') ?? millisecondsBetween(events, 'recovered', 'alert.resolved') ?? null,
  };
}

/**
 * Estimates the timings with production durations from timings measured under a time scale.
 * The kernel and the detector are not scaled, so the time to symptom and to detect stay as
 * measured. What follows detection (scrapes, rule evaluation, `for:`, Alertmanager grouping) was
 * compressed, so that part is multiplied by the scale. Recovery automation is not scaled, so the
 * time to recover stays as measured. The time to resolve is multiplied whole.
 */
export function realTimeTimings(timings: DrillTimings, timeScale: number): DrillTimings {
  const round = (value: number): number => Math.round(value * 10) / 10;
  const afterDetection = (value: number | null): number | null => {
    if (value === null) {
      return null;
    }
    const unscaled = timings.timeToDetectMs ?? 0;
    return round(unscaled + (value - unscaled) * timeScale);
  };
  return {
    timeToSymptomMs: timings.timeToSymptomMs,
    timeToDetectMs: timings.timeToDetectMs,
    timeToAlertMs: afterDetection(timings.timeToAlertMs),
    timeToNotifyMs: afterDetection(timings.timeToNotifyMs),
    timeToRecoverMs: timings.timeToRecoverMs,
    timeToResolveMs: timings.timeToResolveMs === null ? null : round(timings.timeToResolveMs * timeScale),
  };
}

/** Wall time of the drill split into time spent waiting for the system and harness overhead. */
export interface OverheadBreakdown {
  wallMs: number;
  systemWaitMs: number;
  harnessOverheadMs: number;
}

export function overheadOf(journal: Pick<DrillJournal, 'wallMs' | 'steps'>): OverheadBreakdown {
  const systemWaitMs = journal.steps.reduce((total, step) => total + step.systemWaitMs, 0);
  return {
    wallMs: Math.round(journal.wallMs),
    systemWaitMs: Math.round(systemWaitMs),
    harnessOverheadMs: Math.round(Math.max(0, journal.wallMs - systemWaitMs)),
  };
}
