import type { Clock } from '../runner/clock.js';

/** Timeline event names a drill can record, in the order a healthy drill records them. */
export type TimelineEventName =
  | 'steady-state.ok'
  | 'fault.injected'
  | 'symptom.confirmed'
  | 'detected'
  | 'alert.pending'
  | 'alert.firing'
  | 'alert.received'
  | 'notification.delivered'
  | 'fault.healed'
  | 'recovery.started'
  | 'recovery.action'
  | 'recovered'
  | 'alert.resolved'
  | 'notification.resolved';

export interface TimelineEvent {
  name: TimelineEventName;
  /** Wall-clock time, milliseconds since the epoch. */
  at: number;
  /** Monotonic milliseconds, for intervals that a wall-clock step cannot distort. */
  monotonicMs: number;
  detail?: Record<string, unknown>;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface StepRecord {
  /** Stable identifier, such as `steady-state` or `detected`. */
  id: string;
  title: string;
  status: StepStatus;
  startedAt: number;
  durationMs: number;
  /**
   * Part of the step spent waiting for the system under test (the kernel, the detector)
   * rather than doing harness work. It is excluded from the harness overhead.
   */
  systemWaitMs: number;
  message?: string;
  evidence?: Record<string, unknown>;
}

/** `unavailable`: the drill's fault cannot be injected on this host, so nothing was tested. */
export type DrillVerdict = 'passed' | 'failed' | 'unavailable';

/** A typed, append-only record of one drill: its steps, timeline and observations. */
export class DrillJournal {
  readonly drill: string;
  readonly system: string;
  readonly fault: string;
  readonly startedAt: number;
  readonly steps: StepRecord[] = [];
  readonly events: TimelineEvent[] = [];
  /** Facts the drill observed, such as the errno seen on each hot path. */
  readonly observations: Record<string, unknown> = {};
  finishedAt: number | undefined;
  /** Wall time of the whole drill, setup and teardown included. */
  wallMs = 0;
  teardownErrors: string[] = [];
  /** Reason the drill's fault is unavailable on this host, set instead of running the fault. */
  unavailable?: string;
  private readonly clock: Clock;
  private readonly startedMonotonic: number;

  constructor(init: { drill: string; system: string; fault: string; clock: Clock }) {
    this.drill = init.drill;
    this.system = init.system;
    this.fault = init.fault;
    this.clock = init.clock;
    this.startedAt = init.clock.wallNow();
    this.startedMonotonic = init.clock.monotonicNow();
  }

  recordEvent(name: TimelineEventName, detail?: Record<string, unknown>): TimelineEvent {
    const event: TimelineEvent = { name, at: this.clock.wallNow(), monotonicMs: this.clock.monotonicNow(), ...(detail ? { detail } : {}) };
    this.events.push(event);
    return event;
  }

  /**
   * Records an event that happened earlier, at a wall-clock time observed elsewhere (such as a
   * service manager's log). Its monotonic time is derived from the offset to now.
   */
  recordEventAt(name: TimelineEventName, atWallMs: number, detail?: Record<string, unknown>): TimelineEvent {
    const monotonicMs = this.clock.monotonicNow() - (this.clock.wallNow() - atWallMs);
    const event: TimelineEvent = { name, at: atWallMs, monotonicMs, ...(detail ? { detail } : {}) };
    this.events.push(event);
    return event;
  }

  recordStep(step: StepRecord): void {
    this.steps.push(step);
  }

  observe(key: string, value: unknown): void {
    this.observations[key] = value;
  }

  finish(): void {
    this.finishedAt = this.clock.wallNow();
    this.wallMs = this.clock.monotonicNow() - this.startedMonotonic;
  }

  get verdict(): DrillVerdict {
    if (this.unavailable !== undefined && !this.steps.some((step) => step.status === 'failed')) {
      return 'unavailable';
    }
    // Steps after a failure are skipped, so a drill passes when no step failed. Steps skipped
    // because they do not apply to the system (no alerting declared) leave the verdict alone.
    return this.steps.some((step) => step.status === 'passed') && !this.steps.some((step) => step.status === 'failed') ? 'passed' : 'failed';
  }
}
