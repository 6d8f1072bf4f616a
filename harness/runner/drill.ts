import type { SystemProfile } from '../config/system-profile.js';
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
  /**
   * For faults in the environment, which no recovery automation can undo (a partition, a
   * paused server): the drill restores the environment first, then checks `recovery`.
   */
  restoreBeforeRecovery?: boolean;
  /**
   * Mount settings of the drill's client where they differ from the system's profile: extra
   * sshfs options (keepalive, reconnect) or a base mount unit that does not restart.
   */
  mount?: { sshfsOptions?: string[]; restartOnFailure?: boolean };
}

export const defaultSteadyStateDeadlineMs = 30_000;
export const defaultSymptomDeadlineMs = 10_000;

/** Returns the profile with the drill's mount settings applied, as the drill's client mounts the storage. */
export function profileForDrill(profile: SystemProfile, drill: Pick<DrillDefinition, 'mount'>): SystemProfile {
  if (!drill.mount) {
    return profile;
  }
  return {
    ...profile,
    storage: {
      ...profile.storage,
      sshfsOptions: [...profile.storage.sshfsOptions, ...(drill.mount.sshfsOptions ?? [])],
      restartOnFailure: drill.mount.restartOnFailure ?? profile.storage.restartOnFailure,
    },
  };
}

export function defineDrill(definition: DrillDefinition): DrillDefinition {
  return definition;
}
