import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { staleHotPath } from '../../drills/stale-hot-path.js';
import { loadSystemProfile } from '../../harness/config/system-profile.js';
import { silentProgress, type Sink } from '../../harness/log.js';
import { runDrills } from '../../harness/runner/run.js';
import { leftoversOfRun, referenceSystemDirectory, requireContainers, temporaryReportsSettings } from './support.js';

describe('stale-hot-path against the reference system', () => {
  it('passes from fault through recovery', async () => {
    requireContainers();
    const settings = await temporaryReportsSettings();
    const streamed: string[] = [];
    const sink: Sink = { write: (text) => void streamed.push(text) };
    const profile = loadSystemProfile(referenceSystemDirectory);

    const result = await runDrills({ drills: [staleHotPath], profile, settings, tapSink: sink, progress: silentProgress });
    const drill = result.report.drills[0]!;

    expect(drill.steps.filter((step) => step.status !== 'passed'), JSON.stringify(drill.steps, null, 2)).toEqual([]);
    expect(result.report.verdict).toBe('ready');
    expect(drill.steps.map((step) => step.id)).toEqual([
      'setup',
      'steady-state',
      'fault',
      'symptom',
      'detected',
      'alert-firing-hotPathUnreadable',
      'alert-received-hotPathUnreadable',
      'notification-firing-hotPathUnreadable',
      'no-other-notifications',
      'watchdog-dry-run',
      'recovered',
      'recovery-order',
      'alert-resolved-hotPathUnreadable',
      'notification-resolved-hotPathUnreadable',
      'worker-progressing',
      'invariant-seed-intact',
      'invariant-journalled-writes',
      'invariant-retry-budget',
      'watchdog-plan-matches-apply',
      'invariant-no-local-writes',
    ]);
    const recoveryActions = drill.timeline.filter((event) => event.name === 'recovery.action');
    expect(drill.timeline.filter((event) => event.name !== 'recovery.action').map((event) => event.name)).toEqual([
      'steady-state.ok',
      'fault.injected',
      'symptom.confirmed',
      'detected',
      'alert.firing',
      'alert.received',
      'notification.delivered',
      'recovery.started',
      'recovered',
      'alert.resolved',
      'notification.resolved',
    ]);
    expect(recoveryActions.map((event) => `${String(event.detail?.event)} ${String(event.detail?.unit)}`)).toEqual([
      'stop worker.service',
      'restart storage-mount.service',
      'start storage-mount.service',
      'start worker.service',
    ]);
    expect(drill.timings.timeToRecoverMs).toBe(drill.timeline.find((event) => event.name === 'recovered')!.sinceFaultMs);
    const devices = (drill.observations.recovered as { devices: Record<string, string> }).devices;
    expect(new Set(Object.values(devices)).size).toBe(1);

    const sinceFault = Object.fromEntries(drill.timeline.map((event) => [event.name, event.sinceFaultMs!]));
    expect(sinceFault['fault.injected']).toBe(0);
    expect(sinceFault['detected']).toBeGreaterThan(sinceFault['symptom.confirmed']! - 1_500);
    expect(sinceFault['alert.firing']).toBeGreaterThan(sinceFault['detected']!);
    expect(sinceFault['notification.delivered']).toBeGreaterThanOrEqual(sinceFault['alert.firing']!);
    expect(drill.timings.timeToAlertMs).toBe(sinceFault['alert.firing']);
    expect(drill.timings.timeToNotifyMs).toBe(sinceFault['notification.delivered']);
    expect(drill.timings.timeToResolveMs).toBeGreaterThan(0);
    expect(drill.realTimeTimings?.timeToAlertMs).toBeGreaterThan(drill.timings.timeToAlertMs!);
    expect(result.report.alerting?.timeScale).toBe(20);
    expect(drill.overhead.systemWaitMs + drill.overhead.harnessOverheadMs).toBeCloseTo(drill.overhead.wallMs, -1);

    const hotPaths = profile.bindings.map((entry) => entry.hot);
    const symptom = drill.observations.symptom as { probes: string[] };
    for (const hot of hotPaths) {
      expect(symptom.probes).toContainEqual(expect.stringMatching(new RegExp(`^${hot}: stat failed with ENOTCONN \\(107`)));
    }
    const detected = drill.observations.detected as { reported: Record<string, string> };
    expect(Object.keys(detected.reported).sort()).toEqual([...hotPaths].sort());
    for (const hot of hotPaths) {
      expect(detected.reported[hot]).toBe('107 (ENOTCONN)');
    }
    const firing = drill.observations['alert-firing-hotPathUnreadable'] as { labels: Array<Record<string, string>> };
    expect(firing.labels.map((labels) => labels.path).sort()).toEqual([...hotPaths].sort());
    const notified = drill.observations['notification-firing-hotPathUnreadable'] as { receiver: string };
    expect(notified.receiver).toBe('ops-critical');

    const tap = streamed.join('');
    expect(tap.startsWith('TAP version 13\n')).toBe(true);
    expect(tap).toContain('ok 5 - stale-hot-path: detector reports ENOTCONN on every hot path');
    expect(tap.trimEnd().endsWith('1..20')).toBe(true);
    expect((drill.observations['invariant-journalled-writes'] as { journalledWrites: number }).journalledWrites).toBeGreaterThan(0);

    const junit = await readFile(result.files.junit, 'utf8');
    expect(junit).toContain('tests="20"');
    expect(junit).toContain('failures="0"');
    expect(junit).toContain('name="stale-hot-path: fault reproduced"');

    const written = JSON.parse(await readFile(result.files.json, 'utf8')) as typeof result.report;
    expect(written.drills[0]!.verdict).toBe('passed');

    expect(await leftoversOfRun(result.runId)).toEqual({ containers: [], networks: [] });
  });
});
