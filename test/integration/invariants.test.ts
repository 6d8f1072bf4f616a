import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleHotPath } from '../../drills/stale-hot-path.js';
import { execChecked } from '../../harness/engine/exec.js';
import { noLocalWritesUnderMountpoints, retryBudgetKeptOnInfrastructureErrors } from '../../harness/expectations/invariants.js';
import type { Fault } from '../../harness/faults/fault.js';
import { killSshfs } from '../../harness/faults/kill-sshfs.js';
import { defineDrill } from '../../harness/runner/drill.js';
import { remountStorage } from '../../harness/topology/remount.js';
import { referenceVariant, replaceInFile, requireContainers, runDrillAgainst } from './support.js';


describe('no-data-lost invariants', () => {
  it('worker retrying ENOTCONN on its budget fails', async () => {
    requireContainers();
    const directory = await referenceVariant((root) =>
      replaceInFile(path.join(root, 'worker', 'worker.py'), 'INFRASTRUCTURE_ERRNOS = {errno.ENOTCONN, errno.EIO, errno.ESTALE, errno.ETIMEDOUT}', 'INFRASTRUCTURE_ERRNOS = set()'),
    );
    const drill = defineDrill({ ...staleHotPath, name: 'budget-on-enotconn', afterHeal: [retryBudgetKeptOnInfrastructureErrors()] });
    const report = await runDrillAgainst(directory, drill);
    const step = report.steps.find((candidate) => candidate.id === 'invariant-retry-budget')!;

    expect(step.status).toBe('failed');
    expect(step.message).toMatch(/^\d+ retry\(ies\) spent on infrastructure errors$/);
    expect((step.evidence as { retries: string[] }).retries[0]).toMatch(/^job\d{4}: ENOTCONN \(/);
  });

  it('bind mount over local writes fails', async () => {
    requireContainers();
    // Heals like a careless recovery: the hot path is unmounted, something writes to the local
    // directory underneath, and the bind mount goes back on top and hides it.
    const carelessRecovery: Fault = {
      ...killSshfs,
      async heal(context) {
        const hot = context.hotPaths[0]!;
        await execChecked(context.topology.client.id, ['umount', '-l', hot], 'unmounting the hot path');
        await execChecked(context.topology.client.id, ['sh', '-c', `echo lost > ${hot}/written-while-unmounted.dat`], 'writing to the local disk');
        await remountStorage(context.topology);
      },
    };
    // The watchdog stays disabled (no sentinel), so only the careless heal touches the mounts.
    const directory = await referenceVariant((root) =>
      replaceInFile(path.join(root, 'system.yaml'), '  - source: watchdog/watchdog.enabled\n    target: /etc/reference-system/watchdog.enabled\n', ''),
    );
    const drill = defineDrill({ ...staleHotPath, name: 'hidden-local-write', fault: carelessRecovery, recovery: [], afterHeal: [noLocalWritesUnderMountpoints()] });
    const report = await runDrillAgainst(directory, drill);
    const step = report.steps.find((candidate) => candidate.id === 'invariant-no-local-writes')!;

    expect(step.status).toBe('failed');
    expect((step.evidence as { localPaths: string[] }).localPaths).toEqual(['/srv/hot/crawl/written-while-unmounted.dat']);
  });
});
