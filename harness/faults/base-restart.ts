import { execChecked, execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { ENOTCONN } from '../observers/errno.js';
import { remountStorage } from '../topology/remount.js';
import type { Fault } from './fault.js';
import { baseProbe, hotProbes, observeStorage, outerHotPaths, pollForSymptom, readMounts } from './observe.js';

/**
 * Restarts the base mount's service, as a unit with restart on failure does after sshfs dies.
 * The base mountpoint is lazily unmounted between stop and start.
 * The base comes back on a new FUSE connection, but every bind mount taken from the old one
 * stays on the dead connection: the base mount looks fine while the hot paths are stale.
 */
export const baseRestart: Fault = {
  name: 'base-restart',
  description: 'restart the base mount’s service (stop, lazy unmount of the base, start), leaving the bind mounts on the old connection',
  symptom: 'the base mount is readable on a new device while every hot path fails with ENOTCONN, each outer one still on the old device',

  async inject(context) {
    const { baseMount, baseMountUnit } = context.profile.storage;
    const before = (await readMounts(context.topology.client.id, [baseMount]))[baseMount];
    if (!before) {
      throw new MountdrillError('FAULT_FAILED', `base-restart found nothing mounted at ${baseMount}`, { hint: 'the base mount must be up before the fault; check the steady-state step' });
    }
    // A stop, a lazy unmount, then a start, like a unit whose ExecStartPre clears a stale
    // mountpoint. A bare restart sometimes left the old sshfs's mount behind (seen once in a
    // full run), and a new sshfs cannot mount over it.
    const client = context.topology.client.id;
    await execChecked(client, ['systemctl', 'stop', baseMountUnit], `stopping ${baseMountUnit}`);
    await execInContainer(client, ['umount', '-l', baseMount], { timeoutMs: 10_000 });
    await execChecked(client, ['systemctl', 'reset-failed', baseMountUnit], `resetting ${baseMountUnit}`);
    await execChecked(client, ['systemctl', 'start', baseMountUnit], `starting ${baseMountUnit}`);
    context.journal.observe('base-restart', { deviceBefore: before.device });
    return { restarted: baseMountUnit, deviceBefore: before.device };
  },

  async confirm(context, deadlineMs) {
    const { baseMount } = context.profile.storage;
    const deviceBefore = (context.journal.observations['base-restart'] as { deviceBefore: string }).deviceBefore;
    return pollForSymptom(
      context,
      deadlineMs,
      () => observeStorage(context),
      (observation) => {
        const base = observation.mounts[baseMount];
        return (
          baseProbe(context, observation)?.ok === true &&
          base?.fsType === 'fuse.sshfs' &&
          base.device !== deviceBefore &&
          hotProbes(context, observation).every((probe) => probe.errno === ENOTCONN) &&
          // A bind mount nested in a stale hot path may be gone: the kernel detaches mounts on a
          // dentry whose revalidation fails. The stale parent still makes it fail with ENOTCONN.
          outerHotPaths(context.hotPaths).every((hot) => observation.mounts[hot]?.device === deviceBefore)
        );
      },
      () => ({ deviceBefore }),
    );
  },

  async heal(context) {
    await remountStorage(context.topology);
  },
};
