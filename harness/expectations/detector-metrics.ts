import { detectorUnits } from '../runner/system-under-test.js';
import { readServiceEvents, unitLogTail } from '../topology/service-manager.js';
import { formatSample, readTextfileDirectory, samplesNamed, type TextfileSnapshot } from '../observers/textfile-metrics.js';
import type { DrillContext } from '../runner/context.js';


/** Value of a per-path metric for each path in one snapshot; undefined where the detector reports nothing. */
export function reportedByPath(snapshot: TextfileSnapshot, metric: { name: string; pathLabel: string }, paths: string[]): Map<string, number | undefined> {
  const samples = samplesNamed(snapshot.samples, metric.name);
  return new Map(paths.map((target) => [target, samples.find((sample) => sample.labels[metric.pathLabel] === target)?.value]));
}

/** errno the detector reports per hot path in one snapshot; undefined where it reports nothing. */
export function reportedErrnoByPath(snapshot: TextfileSnapshot, context: Pick<DrillContext, 'profile' | 'hotPaths'>): Map<string, number | undefined> {
  return reportedByPath(snapshot, context.profile.detector.metrics.errno, context.hotPaths);
}

/** Returns the detector's last-run timestamp in seconds, if it writes one. */
export function lastRunSeconds(snapshot: TextfileSnapshot, context: Pick<DrillContext, 'profile'>): number | undefined {
  return samplesNamed(snapshot.samples, context.profile.detector.metrics.lastRun)[0]?.value;
}

export function readDetectorMetrics(context: DrillContext): Promise<TextfileSnapshot> {
  return readTextfileDirectory(context.topology.client.id, context.profile.detector.textfileDirectory);
}

/** Evidence about the detector: its metrics as read, its last log lines and whether it is scheduled. */
export async function detectorEvidence(context: DrillContext, snapshot: TextfileSnapshot | undefined): Promise<Record<string, unknown>> {
  const { name } = context.profile.detector.metrics.errno;
  const logTail = await unitLogTail(context.topology.client.id, detectorUnits.service);
  const runs = (await readServiceEvents(context.topology.client.id).catch(() => []))
    .filter((event) => event.unit === detectorUnits.service && event.event === 'exited')
    .slice(-5)
    .map((event) => `${new Date(event.time * 1000).toISOString()} ${event.result}`);
  const lastRun = snapshot ? lastRunSeconds(snapshot, context) : undefined;
  return {
    metricsFiles: snapshot ? Object.keys(snapshot.files) : [],
    [`${name} samples`]: snapshot ? samplesNamed(snapshot.samples, name).map(formatSample) : [],
    lastRunAgeSeconds: lastRun === undefined ? 'no last-run sample' : Math.round((Date.now() / 1000 - lastRun) * 10) / 10,
    malformedLines: snapshot?.malformed ?? [],
    detectorLogTail: logTail,
    lastDetectorRuns: runs,
  };
}
