import type { DrillContext } from '../runner/context.js';

/** Outcome of checking, from inside the client, that a fault produced its symptom. */
export interface SymptomCheck {
  reproduced: boolean;
  /** One line: what was seen. */
  summary: string;
  evidence: Record<string, unknown>;
  /** Time spent waiting for the kernel to show the symptom. */
  waitedMs: number;
}

/**
 * A failure injected into a drill's topology. `confirm` checks the symptom the fault
 * declares; `heal` undoes the fault and runs in teardown even after a failure.
 */
export interface Fault {
  name: string;
  description: string;
  /** The symptom `confirm` requires, in words, for reports and failure messages. */
  symptom: string;
  /** Injects the fault and returns evidence of what it did (process ids, commands). */
  inject(context: DrillContext): Promise<Record<string, unknown>>;
  confirm(context: DrillContext, deadlineMs: number): Promise<SymptomCheck>;
  heal(context: DrillContext): Promise<void>;
}
