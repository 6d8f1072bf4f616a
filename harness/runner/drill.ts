import type { Expectation } from '../expectations/expectation.js';
import type { Fault } from '../faults/fault.js';

/** A drill: steady state, one fault, its symptom, then what the system must do about it. */
export interface DrillDefinition {
  name: string;
  description: string;
  /** A fault of the catalog by name, or a fault object. */
  fault: string | Fault;
  /** How long the steady state may take to establish (the detector's first run included). */
  steadyStateDeadlineMs?: number;
  /** How long the kernel may take to show the fault's symptom. */
  symptomDeadlineMs?: number;
  /** Checked in order after the symptom is confirmed; each becomes a step of the report. */
  expectations: Expectation[];
  /**
   * Checked in order after the fault is healed, such as alerts resolving. When present, healing
   * is a step of its own; otherwise the fault is healed in teardown.
   */
  afterHeal?: Expectation[];
  /**
   * Checked in order, in place of healing, when the system declares recovery automation: the
   * system must recover by itself.
   */
  recovery?: Expectation[];
}

export const defaultSteadyStateDeadlineMs = 30_000;
export const defaultSymptomDeadlineMs = 10_000;

export function defineDrill(definition: DrillDefinition): DrillDefinition {
  return definition;
}
