import { errnoName } from '../observers/errno.js';
import type { TextfileSnapshot } from '../observers/textfile-metrics.js';
import { pollUntil } from '../runner/poll.js';
import { detectorEvidence, lastRunSeconds, readDetectorMetrics, reportedErrnoByPath } from './detector-metrics.js';
import type { Expectation } from './expectation.js';

export interface DetectorReportsErrnoOptions {
  errno: number;
  /** Deadline after the symptom step; by default three detector intervals plus 10 s of probe time. */
  deadlineMs?: number;
}

/**
 * Expects the detector's metrics to report `errno` for every hot path, from a run that
 * started after the fault, within the deadline.
 */
export function detectorReportsErrno(options: DetectorReportsErrnoOptions): Expectation {
  const name = errnoName(options.errno);
  return {
    id: 'detected',
    title: `detector reports ${name} on every hot path`,
    event: 'detected',
    deadlineMs: (context) => options.deadlineMs ?? context.profile.detector.intervalSeconds * 3_000 + 10_000,

    async evaluate(context, deadlineMs) {
      const fault = context.journal.events.find((event) => event.name === 'fault.injected');
      const faultSeconds = (fault?.at ?? 0) / 1000;
      const holds = (snapshot: TextfileSnapshot): boolean => {
        const lastRun = lastRunSeconds(snapshot, context);
        const reported = reportedErrnoByPath(snapshot, context);
        return lastRun !== undefined && lastRun >= faultSeconds && [...reported.values()].every((value) => value === options.errno);
      };

      const result = await pollUntil({ probe: () => readDetectorMetrics(context), until: holds, timeoutMs: deadlineMs, intervalMs: 250, clock: context.clock });
      const snapshot = result.ok ? result.value : result.lastValue;
      const reported = snapshot ? reportedErrnoByPath(snapshot, context) : new Map<string, number | undefined>();
      const perPath = Object.fromEntries([...reported].map(([path, value]) => [path, value === undefined ? 'not reported' : `${value} (${value === 0 ? 'ok' : errnoName(value)})`]));

      if (result.ok) {
        return {
          ok: true,
          message: `detector reported ${name} on ${context.hotPaths.length} hot path(s)`,
          evidence: { reported: perPath },
          waitedMs: result.elapsedMs,
          detail: { reported: perPath, detectorRunAt: new Date((lastRunSeconds(result.value, context) ?? 0) * 1000).toISOString() },
        };
      }
      return {
        ok: false,
        message: `detector did not report ${name} (${options.errno}) on every hot path within ${deadlineMs} ms`,
        evidence: { reported: perPath, ...(await detectorEvidence(context, snapshot)) },
        waitedMs: result.elapsedMs,
      };
    },
  };
}
