import type { SystemProfile } from '../config/system-profile.js';
import type { DrillJournal } from '../journal/journal.js';
import type { Progress } from '../log.js';
import type { Monitoring } from '../topology/monitoring.js';
import type { Topology } from '../topology/topology.js';
import type { Clock } from './clock.js';

/** Handles and state that faults and expectations use to act on and observe one drill. */
export interface DrillContext {
  runId: string;
  topology: Topology;
  profile: SystemProfile;
  journal: DrillJournal;
  clock: Clock;
  progress: Progress;
  /** Hot paths of the manifest, in manifest order. */
  hotPaths: string[];
  /** Prometheus, Alertmanager and the notification sink, when the system declares alerting. */
  monitoring?: Monitoring;
}
