import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { partitionHang, serverPauseDrill } from '../../drills/hung-mount.js';
import { multiPathDrill } from '../../drills/multi-path.js';
import { partitionKeepaliveDrill } from '../../drills/partition-keepalive.js';
import { serverRestartDrill, serverRestartReconnectDrill } from '../../drills/server-restart.js';
import { slowLinkDrill } from '../../drills/slow-link.js';
import { staleBinds } from '../../drills/stale-binds.js';
import { vanishedMount } from '../../drills/vanished-mount.js';
import type { DrillDefinition } from '../../harness/runner/drill.js';
import { hostHasNetem, referenceSystemDirectory, requireContainers, runDrillAgainst, runDrillsAgainst, skipUnavailable, tcNetemMissingMessage } from './support.js';

async function expectDrillPasses(drill: DrillDefinition) {
  requireContainers();
  const report = await runDrillAgainst(referenceSystemDirectory, drill);
  expect(report.steps.filter((step) => step.status !== 'passed'), JSON.stringify(report.steps, null, 2)).toEqual([]);
  expect(report.verdict).toBe('passed');
  return report;
}

describe('a drill for each fault against the reference system', () => {
  it('vanished-mount: the missing mountpoint is reported and the stray write is kept', async () => {
    const report = await expectDrillPasses(vanishedMount);
    expect(report.steps.find((step) => step.id === 'stray-write-kept')!.message).toMatch(/kept at .*stranded/);
  });

  it('stale-binds: the detector probes the hot paths and recovery re-binds them', async () => {
    await expectDrillPasses(staleBinds);
  });

  it('partition-hang: the detector reports a timeout and keeps running', async () => {
    const report = await expectDrillPasses(partitionHang);
    expect(report.steps.map((step) => step.id)).toContain('restore');
  });

  it('partition-keepalive: the mount hangs until ssh gives up, then is recovered', async () => {
    await expectDrillPasses(partitionKeepaliveDrill);
  });

  it('server-pause: the detector reports a timeout and keeps running', async () => {
    await expectDrillPasses(serverPauseDrill);
  });

  it('server-restart: the hot paths go stale without -o reconnect and are recovered', async () => {
    await expectDrillPasses(serverRestartDrill);
  });

  it('server-restart-reconnect: the mount comes back by itself with -o reconnect', async () => {
    await expectDrillPasses(serverRestartReconnectDrill);
  });

  it('multi-path: recovery keeps nested hot paths on their own directories', async () => {
    await expectDrillPasses(multiPathDrill);
  });

  it('slow-link: passes or skips without netem', async (testContext) => {
    requireContainers();
    const result = await runDrillsAgainst(referenceSystemDirectory, [slowLinkDrill]);
    const report = result.report.drills[0]!;
    if (report.verdict === 'unavailable') {
      // Unavailable only for the reason tc gives, on a host whose kernel has no netem loaded.
      expect(report.unavailable).toMatch(tcNetemMissingMessage);
      expect(hostHasNetem()).toBe(false);
      const fault = report.steps.find((step) => step.id === 'fault')!;
      expect(fault).toMatchObject({ status: 'skipped' });
      expect(fault.message).toMatch(/unavailable on this host/);
      expect(report.steps.filter((step) => step.status === 'passed').map((step) => step.id)).toEqual(['setup', 'steady-state']);
      // A run of unavailable drills is not ready, and its TAP and JUnit reports each contain a failure.
      expect(result.report.verdict).toBe('not-ready');
      expect(result.tap).toMatch(/\nnot ok \d+ - run: no drill passed\n/);
      expect(await readFile(result.files.junit, 'utf8')).toMatch(/<testsuite name="mountdrill" tests="\d+" skipped="\d+" failures="1">/);
      skipUnavailable(testContext, `slow-link did not run: ${report.unavailable}`);
    }
    expect(report.steps.filter((step) => step.status !== 'passed'), JSON.stringify(report.steps, null, 2)).toEqual([]);
    expect(report.verdict).toBe('passed');
  });
});
