import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { alertPipeline } from '../../drills/alert-pipeline.js';
import { loadSystemProfile } from '../../harness/config/system-profile.js';
import { alertInState } from '../../harness/expectations/alerts.js';
import { detectorReportsErrno } from '../../harness/expectations/detector-reports-errno.js';
import { silentProgress } from '../../harness/log.js';
import { defineDrill } from '../../harness/runner/drill.js';
import { runDrills } from '../../harness/runner/run.js';
import { leftoversOfRun, runDrillAgainst, referenceSystemDirectory, referenceVariant, replaceInFile, repositoryRoot, requireContainers, temporaryReportsSettings } from './support.js';

const discard = { write: () => undefined };


describe('alert pipeline', () => {
  it('alert-pipeline drill fires without notifying anyone', async () => {
    requireContainers();
    const drill = await runDrillAgainst(referenceSystemDirectory, alertPipeline);

    expect(drill.steps.filter((step) => step.status !== 'passed'), JSON.stringify(drill.steps, null, 2)).toEqual([]);
    expect(drill.timeline.map((event) => event.name)).toEqual(['steady-state.ok', 'fault.injected', 'symptom.confirmed', 'alert.firing', 'alert.received', 'fault.healed', 'alert.resolved']);
    expect(drill.steps.find((step) => step.id === 'no-notifications')!.message).toMatch(/^0 notification\(s\) in /);
  });

  it('rule selecting an unwritten label fails at firing', async () => {
    requireContainers();
    const directory = await referenceVariant((root) => replaceInFile(path.join(root, 'alerts', 'storage.rules.yml'), 'storage_path_ok{role="hot"} == 0', 'storage_path_ok{role="hot-path"} == 0'));
    const drill = await runDrillAgainst(directory);
    const failed = drill.steps.find((step) => step.status === 'failed')!;

    expect(failed.id).toBe('alert-firing-hotPathUnreadable');
    expect(drill.steps.find((step) => step.id === 'detected')!.status).toBe('passed');
    expect(failed.message).toMatch(/^alert StorageHotPathUnreadable was not firing in Prometheus within \d+ ms$/);
    const evidence = failed.evidence as { rule: { expression: string; state: string }; existingSeries: Record<string, string[]> };
    expect(evidence.rule.expression).toContain('role="hot-path"');
    expect(evidence.rule.state).toBe('inactive');
    expect(evidence.existingSeries.storage_path_ok).toContainEqual(expect.stringContaining('role="hot"'));
    expect(evidence.existingSeries.storage_path_ok!.join('\n')).not.toContain('hot-path');
  });

  it('route to the wrong receiver fails at delivery', async () => {
    requireContainers();
    const directory = await referenceVariant((root) =>
      replaceInFile(path.join(root, 'alerts', 'alertmanager.yml'), `- matchers: ['severity="critical"']\n      receiver: ops-critical`, `- matchers: ['severity="critical"']\n      receiver: ops-tickets`),
    );
    const drill = await runDrillAgainst(directory);
    const failed = drill.steps.find((step) => step.status === 'failed')!;

    expect(failed.id).toBe('notification-firing-hotPathUnreadable');
    expect(failed.message).toMatch(/^no firing notification for StorageHotPathUnreadable reached receiver ops-critical within \d+ ms$/);
    const evidence = failed.evidence as { deliveries: string[] };
    expect(evidence.deliveries).toContainEqual(expect.stringMatching(/ ops-tickets\/webhook firing: StorageHotPathUnreadable\(firing\)/));
  });

  it('invalid rule file exits 2 before any drill container', async () => {
    requireContainers();
    const directory = await referenceVariant((root) => replaceInFile(path.join(root, 'alerts', 'storage.rules.yml'), 'expr: storage_path_ok{role="hot"} == 0', 'expr: storage_path_ok{role="hot" == 0'));
    const result = await execa(process.execPath, [path.join(repositoryRoot, 'bin', 'mountdrill.js'), 'run', '--system', directory], {
      reject: false,
      env: { MOUNTDRILL_REPORTS_DIR: path.join(directory, 'reports') },
    });

    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`promtool check rules rejected ${path.join(directory, 'alerts', 'storage.rules.yml')} (as written)`);
    expect(result.stderr).toMatch(/unexpected|parse error/i);
    expect(result.stdout).toMatch(/^TAP version 13\nBail out! promtool check rules rejected /);
    expect(result.stdout).not.toMatch(/^(not )?ok \d/m);
  });

  it('time-scaled rules fire within the scaled deadline', async () => {
    requireContainers();
    const directory = await referenceVariant(async (root) => {
      await replaceInFile(path.join(root, 'alerts', 'storage.rules.yml'), 'expr: storage_path_ok{role="hot"} == 0\n        for: 1m', 'expr: storage_path_ok{role="hot"} == 0\n        for: 5m');
      await replaceInFile(path.join(root, 'system.yaml'), 'timeScale: 20', 'timeScale: 60');
    });
    // "for: 5m" at scale 60 is 5 s; 20 s leaves room for detection and 250 ms evaluations, and is far below 5 minutes.
    const drill = defineDrill({
      name: 'scaled-alert',
      description: 'hot-path alert with production for: 5m at time scale 60',
      fault: 'kill-sshfs',
      expectations: [
        detectorReportsErrno({ errno: 107 }),
        alertInState({ alert: 'hotPathUnreadable', state: 'pending', deadlineMs: 20_000 }),
        alertInState({ alert: 'hotPathUnreadable', state: 'firing', deadlineMs: 20_000 }),
      ],
    });
    const settings = await temporaryReportsSettings();
    const result = await runDrills({ drills: [drill], profile: loadSystemProfile(directory), settings, tapSink: discard, progress: silentProgress });
    const report = result.report.drills[0]!;

    expect(report.steps.filter((step) => step.status !== 'passed'), JSON.stringify(report.steps, null, 2)).toEqual([]);
    expect(result.report.alerting).toMatchObject({ timeScale: 60, scrapeIntervalMs: 250, evaluationIntervalMs: 250, ruleFiles: [{ rewritten: true }] });
    const sinceFault = Object.fromEntries(report.timeline.map((event) => [event.name, event.sinceFaultMs!]));
    expect(sinceFault['alert.firing']! - sinceFault['alert.pending']!).toBeGreaterThanOrEqual(4_500);
    // The estimate multiplies the time after detection by the scale, and detection is observed up
    // to one metrics poll late (250 ms, plus the read), so it may fall short by 60 × that.
    expect(report.realTimeTimings!.timeToAlertMs).toBeGreaterThanOrEqual(5 * 60_000 - 60 * 500);
    expect(await leftoversOfRun(result.runId)).toEqual({ containers: [], networks: [] });
  });
});
