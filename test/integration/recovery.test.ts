import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleHotPath } from '../../drills/stale-hot-path.js';
import { watchdogGuards } from '../../drills/watchdog-guards.js';
import { recovered } from '../../harness/expectations/recovery.js';
import { defineDrill } from '../../harness/runner/drill.js';
import { referenceSystemDirectory, referenceVariant, replaceInFile, requireContainers, runDrillAgainst } from './support.js';

describe('recovery automation', () => {
  it('watchdog-guards passes against the reference system', async () => {
    requireContainers();
    const report = await runDrillAgainst(referenceSystemDirectory, watchdogGuards);

    expect(report.steps.filter((step) => step.status !== 'passed'), JSON.stringify(report.steps, null, 2)).toEqual([]);
    expect(report.steps.map((step) => step.id)).toEqual([
      'setup',
      'steady-state',
      'fault',
      'symptom',
      'guard-sentinel',
      'guard-deployLock',
      'release-deploy-lock',
      'recovered',
      'applies-within-caps',
      'heal',
      'invariant-seed-intact',
      'invariant-journalled-writes',
      'invariant-retry-budget',
      'invariant-no-local-writes',
    ]);
    const caps = report.observations['applies-within-caps'] as { applies: number; gapsSeconds: number[] };
    expect(caps.applies).toBeGreaterThanOrEqual(1);
    expect(caps.applies).toBeLessThanOrEqual(3);
    for (const gap of caps.gapsSeconds) {
      expect(gap).toBeGreaterThanOrEqual(20);
    }
  });

  it('watchdog claiming success without unmounting fails', async () => {
    requireContainers();
    const directory = await referenceVariant(async (root) => {
      await replaceInFile(
        path.join(root, 'watchdog', 'watchdog.py'),
        '    action, target = step["action"], step["target"]\n',
        '    action, target = step["action"], step["target"]\n    if action in ("unmount", "restart-base", "bind", "verify"):\n        return True, "pretended"\n',
      );
      await replaceInFile(path.join(root, 'system.yaml'), '  deadlineSeconds: 90\n', '  deadlineSeconds: 40\n');
    });
    const drill = defineDrill({ ...staleHotPath, name: 'pretending-watchdog', recovery: [recovered()] });
    const report = await runDrillAgainst(directory, drill);
    const step = report.steps.find((candidate) => candidate.id === 'recovered')!;

    expect(step.status).toBe('failed');
    expect(step.message).toMatch(/^not recovered within 40000 ms: \/mnt\/storage: stat failed with ENOTCONN \(107/);
    const evidence = step.evidence as { probes: string[]; serviceActions: string[] };
    expect(evidence.probes).toContain('/srv/hot/crawl: stat failed with ENOTCONN (107, Transport endpoint is not connected)');
    expect(evidence.serviceActions.some((action) => action.includes('stop worker.service'))).toBe(true);
  });

  it('watchdog without cooldown fails the caps check', async () => {
    requireContainers();
    const directory = await referenceVariant(async (root) => {
      const config = path.join(root, 'watchdog', 'watchdog.json');
      await replaceInFile(config, '"cooldownSeconds": 20', '"cooldownSeconds": 0');
      await replaceInFile(config, '"maxAppliesPerHour": 3', '"maxAppliesPerHour": 100');
      await replaceInFile(config, '"minFailureAgeSeconds": 15', '"minFailureAgeSeconds": 0');
    });
    const report = await runDrillAgainst(directory, watchdogGuards);
    const step = report.steps.find((candidate) => candidate.id === 'applies-within-caps')!;

    expect(step.status).toBe('failed');
    expect(step.message).toMatch(/^\d+ applies under \d+ repeated fault\(s\): [1-9]\d* within the 20 s cooldown, hourly cap 3$/);
    const evidence = step.evidence as { applies: number; gapsSeconds: number[] };
    expect(evidence.applies).toBeGreaterThan(2);
    expect(Math.min(...evidence.gapsSeconds)).toBeLessThan(20);
  });

  it('watchdog ignoring its hourly cap fails the caps check', async () => {
    requireContainers();
    const directory = await referenceVariant((root) => replaceInFile(path.join(root, 'watchdog', 'watchdog.json'), '"maxAppliesPerHour": 3', '"maxAppliesPerHour": 100'));
    const report = await runDrillAgainst(directory, watchdogGuards);
    const step = report.steps.find((candidate) => candidate.id === 'applies-within-caps')!;

    expect(step.status).toBe('failed');
    expect(step.message).toMatch(/^\d+ applies under \d+ repeated fault\(s\): 0 within the 20 s cooldown, hourly cap 3$/);
    expect((step.evidence as { applies: number }).applies).toBeGreaterThan(3);
  });
});
