import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverPauseDrill } from '../../drills/hung-mount.js';
import { staleHotPath } from '../../drills/stale-hot-path.js';
import { loadSystemProfile } from '../../harness/config/system-profile.js';
import { docker } from '../../harness/engine/docker.js';
import type { Expectation } from '../../harness/expectations/expectation.js';
import { faultCatalog } from '../../harness/faults/catalog.js';
import type { Fault } from '../../harness/faults/fault.js';
import { hotProbes, observeStorage } from '../../harness/faults/observe.js';
import { confirmStaleMount } from '../../harness/faults/kill-sshfs.js';
import { silentProgress } from '../../harness/log.js';
import type { PathProbe } from '../../harness/observers/path-probe.js';
import { defineDrill } from '../../harness/runner/drill.js';
import { runDrills } from '../../harness/runner/run.js';
import { leftoversOfRun, referenceSystemDirectory, requireContainers, temporaryReportsSettings, testFixturesDirectory } from './support.js';

const discard = { write: () => undefined };

/** A fault that injects nothing: the mount stays healthy, so its symptom never shows. */
const faultThatDoesNothing: Fault = {
  name: 'no-op',
  description: 'inject nothing',
  symptom: 'every hot path fails with ENOTCONN',
  inject: async () => ({ injected: 'nothing' }),
  confirm: (context, deadlineMs) => confirmStaleMount(context, deadlineMs),
  heal: async () => undefined,
};

function describeState(probe: PathProbe): string {
  if (probe.ok) {
    return 'readable';
  }
  return probe.hung ? 'hung' : `errno ${probe.errno}`;
}

/** An expectation that fails at once, standing in for a system that misses its deadline. */
const failsAtOnce: Expectation = {
  id: 'fails-at-once',
  title: 'an expectation the system misses',
  deadlineMs: () => 0,
  evaluate: async () => ({ ok: false, message: 'missed on purpose', evidence: {}, waitedMs: 0 }),
};

describe('drill failures', () => {
  it('teardown heals after a failed step', async () => {
    requireContainers();
    const settings = await temporaryReportsSettings();
    const profile = loadSystemProfile(referenceSystemDirectory);
    const serverPause = faultCatalog.get('server-pause')!;
    // The real fault, with a heal that records what it found and what it left.
    const heals: Array<{ pausedBefore: boolean; hotPathsAfter: string[] }> = [];
    const observedPause: Fault = {
      ...serverPause,
      async heal(context) {
        const pausedBefore = (await docker().getContainer(context.topology.server.id).inspect()).State.Paused;
        await serverPause.heal(context);
        const observation = await observeStorage(context);
        heals.push({ pausedBefore, hotPathsAfter: hotProbes(context, observation).map(describeState) });
      },
    };
    const drill = defineDrill({ ...serverPauseDrill, fault: observedPause, expectations: [failsAtOnce, ...serverPauseDrill.expectations] });

    const result = await runDrills({ drills: [drill], profile, settings, tapSink: discard, progress: silentProgress });
    const steps = Object.fromEntries(result.report.drills[0]!.steps.map((step) => [step.id, step.status]));

    expect(steps).toMatchObject({ symptom: 'passed', 'fails-at-once': 'failed', restore: 'skipped', recovered: 'skipped' });
    expect(heals).toEqual([{ pausedBefore: true, hotPathsAfter: profile.bindings.map(() => 'readable') }]);
    expect(await leftoversOfRun(result.runId)).toEqual({ containers: [], networks: [] });
  });


  it('fails at detected when the detector crashes on ENOTCONN', async () => {
    requireContainers();
    const settings = await temporaryReportsSettings();
    const profile = loadSystemProfile(path.join(testFixturesDirectory, 'crashing-detector'));

    const result = await runDrills({ drills: [staleHotPath], profile, settings, tapSink: discard, progress: silentProgress });
    const drill = result.report.drills[0]!;
    const statuses = Object.fromEntries(drill.steps.map((step) => [step.id, step.status]));

    expect(result.report.verdict).toBe('not-ready');
    expect(statuses).toMatchObject({ setup: 'passed', 'steady-state': 'passed', fault: 'passed', symptom: 'passed', detected: 'failed' });
    expect(drill.steps.slice(5).map((step) => step.status)).toEqual(drill.steps.slice(5).map(() => 'skipped'));
    const detected = drill.steps.find((step) => step.id === 'detected')!;
    expect(detected.message).toMatch(/did not report ENOTCONN \(107\) on every hot path/);
    expect(JSON.stringify(detected.evidence)).toContain('Transport endpoint is not connected');
    expect(await leftoversOfRun(result.runId)).toEqual({ containers: [], networks: [] });
  });

  it('fails at symptom when the fault does nothing', async () => {
    requireContainers();
    const settings = await temporaryReportsSettings();
    const profile = loadSystemProfile(referenceSystemDirectory);
    const drill = defineDrill({ ...staleHotPath, name: 'no-op-fault', fault: faultThatDoesNothing, symptomDeadlineMs: 3_000 });

    const result = await runDrills({ drills: [drill], profile, settings, tapSink: discard, progress: silentProgress });
    const report = result.report.drills[0]!;
    const symptom = report.steps.find((step) => step.id === 'symptom')!;

    expect(result.report.verdict).toBe('not-ready');
    expect(symptom.status).toBe('failed');
    expect(symptom.message).toMatch(/^fault not reproduced: expected every hot path fails with ENOTCONN; observed .*readable/);
    expect(symptom.evidence?.probes).toContainEqual('/srv/hot/crawl: readable');
    expect(report.steps.find((step) => step.id === 'detected')!.status).toBe('skipped');
    expect(report.timeline.map((event) => event.name)).not.toContain('symptom.confirmed');
    expect(await leftoversOfRun(result.runId)).toEqual({ containers: [], networks: [] });
  });
});
