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
  /**
   * Returns why the fault cannot be injected on this host (a kernel feature it lacks), or
   * undefined when it can. A drill with an unavailable fault is reported as unavailable, never
   * as passed.
   */
  unavailable?(context: DrillContext): Promise<string | undefined>;
  /** Injects the fault and returns evidence of what it did (process ids, commands). */
  inject(context: DrillContext): Promise<Record<string, unknown>>;
  confirm(context: DrillContext, deadlineMs: number): Promise<SymptomCheck>;
  /**
   * Undoes what the fault did to the environment (network rules, a paused server) and nothing
   * more, so that the system under test can recover by itself. Faults that act only on the
   * client's own processes do not need it.
   */
  restoreEnvironment?(context: DrillContext): Promise<void>;
  /**
   * Undoes the fault and leaves the topology healthy: every hot path readable on the live base
   * mount. Teardown runs it after failures and interrupts too.
   */
  heal(context: DrillContext): Promise<void>;
}
