import path from 'node:path/posix';
import { checksumFiles, compareChecksums } from '../observers/checksums.js';
import { describeProbe, probePaths } from '../observers/path-probe.js';
import type { DrillContext } from '../runner/context.js';
import { pollUntil } from '../runner/poll.js';
import { relativeToBase } from '../topology/manifest.js';
import { detectorEvidence, lastRunSeconds, readDetectorMetrics, reportedErrnoByPath } from './detector-metrics.js';
import type { ExpectationResult } from './expectation.js';
import type { Monitoring } from '../topology/monitoring.js';

/**
 * Maps each seeded file to the path a worker reads it at: through the hot path that binds
 * its directory, else through the base mount.
 */
export function clientPathsOfSeed(context: Pick<DrillContext, 'profile' | 'topology'>): Map<string, string> {
  const { baseMount } = context.profile.storage;
  const expected = new Map<string, string>();
  for (const file of context.topology.seed) {
    const binding = context.profile.bindings.find((entry) => path.dirname(file.relativePath) === relativeToBase(entry.cold, baseMount));
    const clientPath = binding ? path.join(binding.hot, path.basename(file.relativePath)) : path.join(baseMount, file.relativePath);
    expected.set(clientPath, file.sha256);
  }
  return expected;
}

interface SteadyStateObservation {
  unreadable: string[];
  checksumMismatches: string[];
  detectorProblems: string[];
}

/** Lists what keeps the alert pipeline from a steady state: a target not up, or an alert already firing. */
async function monitoringProblems(monitoring: Monitoring): Promise<string[]> {
  const problems: string[] = [];
  const targets = await monitoring.prometheus.targets();
  if (targets.length === 0) {
    problems.push('Prometheus has no scrape target yet');
  }
  for (const target of targets) {
    if (target.health !== 'up') {
      problems.push(`scrape target ${target.labels.instance ?? '?'} is ${target.health}${target.lastError ? `: ${target.lastError}` : ''}`);
    }
  }
  for (const alert of await monitoring.prometheus.alerts()) {
    if (alert.state === 'firing') {
      problems.push(`alert ${alert.labels.alertname} already firing before the fault`);
    }
  }
  return problems;
}

/**
 * Checks the steady-state hypothesis: every path readable, every seeded file with its
 * checksum, and the detector reporting every hot path healthy from a recent run. With an
 * alert pipeline, Prometheus must also scrape the client and have no alert firing.
 * Polls until all three hold, because the detector's first run comes one interval after start.
 */
export async function checkSteadyState(context: DrillContext, deadlineMs: number): Promise<ExpectationResult> {
  const { baseMount } = context.profile.storage;
  const expectedSums = clientPathsOfSeed(context);
  const freshnessSeconds = context.profile.detector.intervalSeconds * 3 + 5;

  const observe = async (): Promise<SteadyStateObservation> => {
    const probes = await probePaths(context.topology.client.id, [baseMount, ...context.hotPaths]);
    const sums = await checksumFiles(context.topology.client.id, [...expectedSums.keys()]);
    const metrics = await readDetectorMetrics(context);

    const detectorProblems: string[] = [];
    const lastRun = lastRunSeconds(metrics, context);
    if (lastRun === undefined) {
      detectorProblems.push(`no ${context.profile.detector.metrics.lastRun} sample yet`);
    } else if (Date.now() / 1000 - lastRun > freshnessSeconds) {
      detectorProblems.push(`last run ${Math.round(Date.now() / 1000 - lastRun)} s ago, more than ${freshnessSeconds} s`);
    }
    for (const [hot, errno] of reportedErrnoByPath(metrics, context)) {
      if (errno !== 0) {
        detectorProblems.push(`${hot}: ${errno === undefined ? 'not reported' : `errno ${errno}`}`);
      }
    }
    if (context.monitoring) {
      detectorProblems.push(...(await monitoringProblems(context.monitoring)));
    }
    return {
      unreadable: probes.filter((probe) => !probe.ok).map(describeProbe),
      checksumMismatches: compareChecksums(expectedSums, sums).map((mismatch) => `${mismatch.path}: expected ${mismatch.expected}, found ${mismatch.actual}`),
      detectorProblems,
    };
  };

  const holds = (observation: SteadyStateObservation): boolean =>
    observation.unreadable.length === 0 && observation.checksumMismatches.length === 0 && observation.detectorProblems.length === 0;

  const result = await pollUntil({ probe: observe, until: holds, timeoutMs: deadlineMs, intervalMs: 500, clock: context.clock });
  const paths = [baseMount, ...context.hotPaths];
  if (result.ok) {
    return {
      ok: true,
      message: `${paths.length} path(s) readable, ${expectedSums.size} checksum(s) match, detector healthy`,
      evidence: {},
      waitedMs: result.elapsedMs,
      detail: { paths, checksums: expectedSums.size },
    };
  }
  const observation = result.lastValue;
  const problems = observation ? [...observation.unreadable, ...observation.checksumMismatches, ...observation.detectorProblems] : [];
  return {
    ok: false,
    message: `steady state not reached within ${deadlineMs} ms: ${problems[0] ?? (result.lastError instanceof Error ? result.lastError.message : 'no observation')}`,
    evidence: {
      unreadable: observation?.unreadable ?? [],
      checksumMismatches: observation?.checksumMismatches ?? [],
      detectorProblems: observation?.detectorProblems ?? [],
      ...(await detectorEvidence(context, await readDetectorMetrics(context).catch(() => undefined))),
    },
    waitedMs: result.elapsedMs,
  };
}
