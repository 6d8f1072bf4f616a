import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSystemProfile, type SystemProfile } from '../../harness/config/system-profile.js';
import { faultCatalog } from '../../harness/faults/catalog.js';
import { nestedHotPaths } from '../../harness/faults/multi-path.js';
import { observeStorage, outerHotPaths } from '../../harness/faults/observe.js';
import { DrillJournal } from '../../harness/journal/journal.js';
import { silentProgress } from '../../harness/log.js';
import type { DrillContext } from '../../harness/runner/context.js';
import { systemClock } from '../../harness/runner/clock.js';
import { profileForDrill, type DrillDefinition } from '../../harness/runner/drill.js';
import { pollUntil } from '../../harness/runner/poll.js';
import { startTopology } from '../../harness/topology/topology.js';
import { hostHasNetem, leftoversOfRun, referenceSystemDirectory, requireContainers, skipUnavailable, tcNetemMissingMessage } from './support.js';

/**
 * Starts a bare topology (storage server, client, base mount and hot paths, no system under
 * test), runs the body against it and removes it. Each test below injects one fault, checks its
 * symptom from inside the client, then expects the heal step to leave the topology healthy.
 */
async function withBareTopology(mount: DrillDefinition['mount'], body: (context: DrillContext) => Promise<void>): Promise<void> {
  const image = requireContainers();
  const profile: SystemProfile = profileForDrill(loadSystemProfile(referenceSystemDirectory), { mount });
  const runId = `faults-${randomBytes(3).toString('hex')}`;
  const topology = await startTopology({ runId, drillName: 'bare', image, profile });
  try {
    const journal = new DrillJournal({ drill: 'bare', system: profile.name, fault: 'self-test', clock: systemClock });
    const hotPaths = profile.bindings.map((entry) => entry.hot);
    await body({ runId, topology, profile, journal, clock: systemClock, progress: silentProgress, hotPaths });
  } finally {
    await topology[Symbol.asyncDispose]();
  }
  expect(await leftoversOfRun(runId)).toEqual({ containers: [], networks: [] });
}

/** Waits until every hot path is readable and on the live base mount's device, as after a heal. */
async function expectHealthy(context: DrillContext): Promise<void> {
  const { baseMount } = context.profile.storage;
  const result = await pollUntil({
    probe: () => observeStorage(context),
    until: (observation) =>
      observation.probes.every((probe) => probe.ok) &&
      observation.mounts[baseMount]?.fsType === 'fuse.sshfs' &&
      context.hotPaths.every((hot) => observation.mounts[hot]?.device === observation.mounts[baseMount]?.device),
    timeoutMs: 15_000,
    intervalMs: 250,
  });
  expect(result.ok, JSON.stringify(result.ok ? result.value : result.lastValue)).toBe(true);
}

async function injectAndConfirm(context: DrillContext, name: string, deadlineMs = 15_000) {
  const fault = faultCatalog.get(name)!;
  context.journal.recordEvent('fault.injected');
  await fault.inject(context);
  const check = await fault.confirm(context, deadlineMs);
  expect(check.reproduced, `${name}: ${check.summary}\n${JSON.stringify(check.evidence, null, 2)}`).toBe(true);
  return check;
}

async function healAndExpectHealthy(context: DrillContext, name: string): Promise<void> {
  await faultCatalog.get(name)!.heal(context);
  await expectHealthy(context);
}

describe('fault catalog on a bare topology', () => {
  it('kill-sshfs leaves every hot path stale with the base still mounted', async () => {
    await withBareTopology(undefined, async (context) => {
      const check = await injectAndConfirm(context, 'kill-sshfs');
      expect(check.evidence.probes).toEqual(expect.arrayContaining(context.hotPaths.map((hot) => expect.stringContaining(`${hot}: stat failed with ENOTCONN`))));
      await healAndExpectHealthy(context, 'kill-sshfs');
    });
  });

  it('kill-transport leaves the base mountpoint a plain empty local directory', async () => {
    await withBareTopology({ restartOnFailure: false }, async (context) => {
      const check = await injectAndConfirm(context, 'kill-transport');
      expect(check.evidence.mountinfo).toContain(`${context.profile.storage.baseMount}: not mounted`);
      expect(check.evidence.baseEntries).toEqual([]);
      await healAndExpectHealthy(context, 'kill-transport');
    });
  });

  it('base-restart leaves stale binds on the old device', async () => {
    await withBareTopology(undefined, async (context) => {
      const check = await injectAndConfirm(context, 'base-restart');
      const deviceBefore = check.evidence.deviceBefore as string;
      for (const hot of outerHotPaths(context.hotPaths)) {
        expect(check.evidence.mountinfo).toContainEqual(expect.stringMatching(new RegExp(`^${hot}: fuse.sshfs .* dev ${deviceBefore}$`)));
      }
      expect(check.evidence.probes).toContain(`${context.profile.storage.baseMount}: readable`);
      await healAndExpectHealthy(context, 'base-restart');
    });
  });

  it('partition without keepalives makes every hot path hang', async () => {
    await withBareTopology(undefined, async (context) => {
      const check = await injectAndConfirm(context, 'partition');
      expect(check.evidence.probes).toEqual(expect.arrayContaining(context.hotPaths.map((hot) => expect.stringContaining(`${hot}: hung`))));
      await healAndExpectHealthy(context, 'partition');
    });
  });

  it('partition with keepalives hangs until sshfs exits', async () => {
    await withBareTopology({ sshfsOptions: ['ServerAliveInterval=1', 'ServerAliveCountMax=3'] }, async (context) => {
      const check = await injectAndConfirm(context, 'partition-keepalive', 40_000);
      expect(check.evidence.hangObservedFirst).toBe(true);
      expect(check.evidence.sshfsNow).not.toContain((check.evidence.sshfsBefore as number[])[0]);
      await healAndExpectHealthy(context, 'partition-keepalive');
    });
  });

  it('partition refuses a mount whose keepalive setting does not match the fault', async () => {
    await withBareTopology(undefined, async (context) => {
      await expect(faultCatalog.get('partition-keepalive')!.inject(context)).rejects.toThrow(/expects a mount with ServerAliveInterval/);
    });
  });

  it('server-pause makes every hot path hang', async () => {
    await withBareTopology(undefined, async (context) => {
      const check = await injectAndConfirm(context, 'server-pause');
      expect(check.evidence.probes).toEqual(expect.arrayContaining(context.hotPaths.map((hot) => expect.stringContaining(`${hot}: hung`))));
      await healAndExpectHealthy(context, 'server-pause');
    });
  });

  it('server-restart without reconnect fails base mount', async () => {
    await withBareTopology(undefined, async (context) => {
      const check = await injectAndConfirm(context, 'server-restart');
      const before = (check.evidence.sessionBefore as { sshfs: number[] }).sshfs;
      const after = (check.evidence.sessionAfter as { sshfs: number[] }).sshfs;
      expect(before).toHaveLength(1);
      expect(after).not.toContain(before[0]);
      expect(check.evidence.probes).toEqual(expect.arrayContaining(context.hotPaths.map((hot) => expect.stringMatching(new RegExp(`^${hot}: .*ENOTCONN`)))));
      await healAndExpectHealthy(context, 'server-restart');
    });
  });

  it('server-restart with -o reconnect keeps the same sshfs and device', async () => {
    await withBareTopology({ sshfsOptions: ['reconnect'] }, async (context) => {
      const check = await injectAndConfirm(context, 'server-restart-reconnect', 30_000);
      expect(check.evidence.sessionAfter).toMatchObject({ sshfs: (check.evidence.sessionBefore as { sshfs: number[] }).sshfs });
      await healAndExpectHealthy(context, 'server-restart-reconnect');
    });
  });

  it('multi-path makes nested and outer hot paths stale together', async () => {
    await withBareTopology(undefined, async (context) => {
      expect(nestedHotPaths(context.hotPaths).length).toBeGreaterThan(0);
      await injectAndConfirm(context, 'multi-path');
      await healAndExpectHealthy(context, 'multi-path');
    });
  });

  it('slow-link delays the link or skips', async (testContext) => {
    let reason: string | undefined;
    await withBareTopology(undefined, async (context) => {
      const fault = faultCatalog.get('slow-link')!;
      reason = await fault.unavailable!(context);
      if (reason !== undefined) {
        // Unavailable only for the reason tc gives, on a host whose kernel has no netem loaded,
        // and the trial leaves the topology unchanged.
        expect(reason).toMatch(tcNetemMissingMessage);
        expect(hostHasNetem()).toBe(false);
        await expectHealthy(context);
        return;
      }
      await injectAndConfirm(context, 'slow-link', 30_000);
      await healAndExpectHealthy(context, 'slow-link');
    });
    if (reason !== undefined) {
      skipUnavailable(testContext, `slow-link did not run: ${reason}`);
    }
  });
});
