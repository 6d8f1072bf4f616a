import type { TimelineEventName } from '../journal/journal.js';
import type { DrillContext } from '../runner/context.js';

export interface ExpectationResult {
  ok: boolean;
  /** One line: what was expected and what was seen. */
  message: string;
  evidence: Record<string, unknown>;
  /** Time spent waiting for the system under test. */
  waitedMs: number;
  /** Detail recorded on the timeline event when the expectation holds. */
  detail?: Record<string, unknown>;
  /** Further timeline events the expectation observed, with the wall-clock time each happened. */
  events?: Array<{ name: TimelineEventName; atWallMs: number; detail?: Record<string, unknown> }>;
}

/** Something the system under test must do after the fault, within a deadline. */
export interface Expectation {
  id: string;
  title: string;
  /** Timeline event recorded when the expectation holds. */
  event?: TimelineEventName;
  /** Set on expectations about the alert pipeline; they are skipped for a system that declares no alerting. */
  needsAlerting?: boolean;
  /** Set on expectations about the system's worker; they are skipped for a system that declares none. */
  needsWorker?: boolean;
  /** Set on expectations about the system's recovery automation; skipped for a system that declares none. */
  needsRecovery?: boolean;
  /** Returns why the expectation does not apply to the system (a metric it does not name); it is then skipped. */
  skipReason?(context: DrillContext): string | undefined;
  deadlineMs(context: DrillContext): number;
  evaluate(context: DrillContext, deadlineMs: number): Promise<ExpectationResult>;
}
