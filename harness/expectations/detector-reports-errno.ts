import { errnoName } from '../observers/errno.js';
import { detectorReports } from './detector-reports.js';
import type { Expectation } from './expectation.js';

export interface DetectorReportsErrnoOptions {
  errno: number;
  /** Deadline after the symptom step; by default derived from the detector's interval and probe timeout. */
  deadlineMs?: number;
}

/**
 * Expects the detector's metrics to report `errno` for every hot path, from a run that
 * started after the fault, within the deadline.
 */
export function detectorReportsErrno(options: DetectorReportsErrnoOptions): Expectation {
  const name = errnoName(options.errno);
  return detectorReports({
    id: 'detected',
    title: `detector reports ${name} on every hot path`,
    metric: 'errno',
    paths: (context) => context.hotPaths,
    pathsText: 'every hot path',
    value: options.errno,
    meaning: name,
    format: (value) => `${value} (${value === 0 ? 'ok' : errnoName(value)})`,
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
}
