import path from 'node:path/posix';
import { nodeExporterPort } from '../alerting/prepare.js';
import { execChecked } from '../engine/exec.js';
import { parseExposition } from '../observers/textfile-metrics.js';
import { pollUntil } from '../runner/poll.js';
import type { Fault } from './fault.js';

/** Metric the drill-signal fault writes; a system's rules alert on it to test their pipeline. */
export const drillSignalMetric = 'mountdrill_drill_signal';
const fileName = `${drillSignalMetric}.prom`;

/**
 * Writes a synthetic metric into the detector's textfile directory, the way operators test a
 * production alert pipeline without breaking anything. Healing removes the file.
 */
export const drillSignal: Fault = {
  name: 'drill-signal',
  description: `write ${drillSignalMetric} 1 into the textfile-collector directory`,
  symptom: `node_exporter serves ${drillSignalMetric} with value 1`,

  async inject(context) {
    const directory = context.profile.detector.textfileDirectory;
    const content = `# HELP ${drillSignalMetric} Synthetic signal of a mountdrill alert pipeline drill.\n# TYPE ${drillSignalMetric} gauge\n${drillSignalMetric}{drill="${context.journal.drill}"} 1\n`;
    // Written to a temporary name and renamed, so node_exporter never reads half a file.
    const script = `printf '%s' "$1" > "$2.tmp" && mv "$2.tmp" "$2"`;
    await execChecked(context.topology.client.id, ['/bin/sh', '-c', script, 'write-signal', content, path.join(directory, fileName)], 'writing the drill signal');
    return { file: path.join(directory, fileName), metric: `${drillSignalMetric}{drill="${context.journal.drill}"} 1` };
  },

  async confirm(context, deadlineMs) {
    const url = `http://${context.topology.client.address}:${nodeExporterPort}/metrics`;
    const served = async (): Promise<number | undefined> => {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const { samples } = parseExposition(await response.text());
      return samples.find((sample) => sample.name === drillSignalMetric)?.value;
    };
    const result = await pollUntil({ probe: served, until: (value) => value === 1, timeoutMs: deadlineMs, intervalMs: 200, clock: context.clock });
    const seen = result.ok ? result.value : result.lastValue;
    return {
      reproduced: result.ok,
      summary: seen === undefined ? `node_exporter at ${url} does not serve ${drillSignalMetric}` : `node_exporter serves ${drillSignalMetric} ${seen}`,
      evidence: { url, ...(result.ok || !result.lastError ? {} : { lastError: String(result.lastError) }) },
      waitedMs: result.elapsedMs,
    };
  },

  async heal(context) {
    await execChecked(context.topology.client.id, ['rm', '-f', path.join(context.profile.detector.textfileDirectory, fileName)], 'removing the drill signal');
  },
};
