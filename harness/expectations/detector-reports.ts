import type { SystemProfile } from '../config/system-profile.js';
import { formatSample, samplesNamed, type TextfileSnapshot } from '../observers/textfile-metrics.js';
import type { DrillContext } from '../runner/context.js';
import { pollUntil } from '../runner/poll.js';
import { detectorEvidence, lastRunSeconds, readDetectorMetrics, reportedByPath } from './detector-metrics.js';
import type { Expectation } from './expectation.js';

type PathMetricKey = 'errno' | 'timeout' | 'mounted';

function pathMetric(profile: SystemProfile, key: PathMetricKey): { name: string; pathLabel: string } | undefined {
  return profile.detector.metrics[key];
}

export interface DetectorReportsOptions {
  id: string;
  title: string;
  /** Per-path metric of the profile to read. */
  metric: PathMetricKey;
  /** The paths that must carry the value, and how messages name them ("every hot path"). */
  paths: (context: DrillContext) => string[];
  pathsText: string;
  value: number;
  /** Meaning of the value, for messages: "a timeout", "an expected mountpoint missing". */
  meaning: string;
  /** Formats one reported value for evidence, such as "107 (ENOTCONN)"; plain by default. */
  format?: (value: number) => string;
  /** Whether holding marks the detection on the timeline (false for a healthy report). */
  detection?: boolean;
  deadlineMs?: number;
}

/**
 * Expects one of the detector's per-path metrics to carry a value for every listed path, from
 * a run that started after the fault, within the deadline. Skipped for a system whose profile
 * does not name that metric.
 */
export function detectorReports(options: DetectorReportsOptions): Expectation {
  return {
    id: options.id,
    title: options.title,
    ...(options.detection === false ? {} : { event: 'detected' as const }),
    skipReason: (context) => (pathMetric(context.profile, options.metric) ? undefined : `system ${context.profile.name} names no detector.metrics.${options.metric}`),
    deadlineMs: (context) => options.deadlineMs ?? context.profile.detector.intervalSeconds * 3_000 + (context.profile.detector.probeTimeoutSeconds ?? 5) * 2_000 + 10_000,

    async evaluate(context, deadlineMs) {
      const metric = pathMetric(context.profile, options.metric)!;
      const paths = options.paths(context);
      const fault = context.journal.events.find((event) => event.name === 'fault.injected');
      const faultSeconds = (fault?.at ?? 0) / 1000;
      const holds = (snapshot: TextfileSnapshot): boolean => {
        const lastRun = lastRunSeconds(snapshot, context);
        return lastRun !== undefined && lastRun >= faultSeconds && [...reportedByPath(snapshot, metric, paths).values()].every((value) => value === options.value);
      };
      const result = await pollUntil({ probe: () => readDetectorMetrics(context), until: holds, timeoutMs: deadlineMs, intervalMs: 250, clock: context.clock });
      const snapshot = result.ok ? result.value : result.lastValue;
      const format = options.format ?? String;
      const reported = Object.fromEntries(
        [...(snapshot ? reportedByPath(snapshot, metric, paths) : new Map<string, number | undefined>())].map(([target, value]) => [target, value === undefined ? 'not reported' : format(value)]),
      );
      if (result.ok) {
        return {
          ok: true,
          message: `detector reported ${options.meaning} (${options.value}) on ${options.pathsText}: ${paths.join(', ')}`,
          evidence: { reported },
          waitedMs: result.elapsedMs,
          detail: { reported, detectorRunAt: new Date((lastRunSeconds(result.value, context) ?? 0) * 1000).toISOString() },
        };
      }
      return {
        ok: false,
        message: `detector did not report ${options.meaning} (${options.value}) on ${options.pathsText} within ${deadlineMs} ms: ${metric.name} is ${Object.entries(reported).map(([target, value]) => `${value} for ${target}`).join(', ')}`,
        evidence: { reported, [`${metric.name} samples`]: snapshot ? samplesNamed(snapshot.samples, metric.name).map(formatSample) : [], ...(await detectorEvidence(context, snapshot)) },
        waitedMs: result.elapsedMs,
      };
    },
  };
}

/** Expects the detector to report a probe timeout on every hot path, which distinguishes a hung mount from a failing one. */
export function detectorReportsTimeout(): Expectation {
  return detectorReports({ id: 'detected-hang', title: 'detector reports a timeout on every hot path', metric: 'timeout', paths: (context) => context.hotPaths, pathsText: 'every hot path', value: 1, meaning: 'a timeout' });
}

/** Expects the detector to report the base mount missing from the mount table. */
export function detectorReportsBaseMissing(): Expectation {
  return detectorReports({
    id: 'detected-missing',
    title: 'detector reports the base mountpoint missing',
    metric: 'mounted',
    paths: (context) => [context.profile.storage.baseMount],
    pathsText: 'the base mount',
    value: 0,
    meaning: 'an expected mountpoint missing',
  });
}

/** Expects the detector to report every hot path readable (errno 0), for faults the mount must ride out. */
export function detectorReportsHealthy(): Expectation {
  return detectorReports({ id: 'detector-healthy', title: 'detector reports every hot path readable', metric: 'errno', paths: (context) => context.hotPaths, pathsText: 'every hot path', value: 0, meaning: 'no error', detection: false });
}

/**
 * Expects the detector to keep running on schedule while the mount hangs: its last-run
 * timestamp must advance at least three times, never more than one interval plus one probe
 * timeout (and 3 s of scheduling slack) apart. A detector that blocks on a hung path, or whose
 * metrics writer blocks, stops advancing and leaves a stale file behind.
 */
export function detectorKeepsRunning(): Expectation {
  const slackSeconds = 3;
  const runsRequired = 3;
  const maxGapSeconds = (profile: SystemProfile): number => profile.detector.intervalSeconds + (profile.detector.probeTimeoutSeconds ?? 5) + slackSeconds;
  return {
    id: 'detector-on-schedule',
    title: 'detector keeps running on schedule during the hang',
    deadlineMs: (context) => (runsRequired + 1) * maxGapSeconds(context.profile) * 1000,

    async evaluate(context, deadlineMs) {
      const maxGap = maxGapSeconds(context.profile);
      const started = context.clock.monotonicNow();
      const runs: number[] = [];
      let lastSnapshot: TextfileSnapshot | undefined;
      let gapExceeded: string | undefined;
      let lastChangeAt = context.clock.wallNow() / 1000;

      while (context.clock.monotonicNow() - started < deadlineMs && runs.length < runsRequired + 1 && !gapExceeded) {
        lastSnapshot = await readDetectorMetrics(context);
        const lastRun = lastRunSeconds(lastSnapshot, context);
        const now = context.clock.wallNow() / 1000;
        if (lastRun !== undefined && lastRun !== runs.at(-1)) {
          runs.push(lastRun);
          lastChangeAt = now;
        } else if (now - lastChangeAt > maxGap) {
          gapExceeded = `no new detector run for ${(now - lastChangeAt).toFixed(1)} s (allowed ${maxGap} s)`;
        }
        await context.clock.sleep(250);
      }

      const gaps = runs.slice(1).map((run, index) => Math.round((run - runs[index]!) * 10) / 10);
      const waitedMs = context.clock.monotonicNow() - started;
      // The first value seen may predate the watch, so only the runs after it count.
      if (!gapExceeded && runs.length >= runsRequired + 1 && gaps.every((gap) => gap <= maxGap)) {
        return { ok: true, message: `${gaps.length} detector runs, ${gaps.join(' s, ')} s apart (allowed ${maxGap} s)`, evidence: {}, waitedMs, detail: { gapsSeconds: gaps } };
      }
      return {
        ok: false,
        message: gapExceeded ?? `detector ran ${gaps.length} time(s) in ${Math.round(waitedMs / 1000)} s, ${gaps.join(' s, ') || 'no'} s apart; expected ${runsRequired} runs at most ${maxGap} s apart`,
        evidence: { gapsSeconds: gaps, ...(await detectorEvidence(context, lastSnapshot)) },
        waitedMs,
      };
    },
  };
}
