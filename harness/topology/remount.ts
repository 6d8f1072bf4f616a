import { execChecked, execInContainer } from '../engine/exec.js';
import { bindHotPaths, mountBase } from './client-host.js';
import { mountOrder } from './manifest.js';
import type { Topology } from './topology.js';

/**
 * Brings the storage back after a fault: lazily unmounts every hot path (nested ones first)
 * and the base, then restarts the base mount's service and binds the hot paths again. A new
 * sshfs cannot mount over a stale mount point, hence the unmount first.
 */
export async function remountStorage(topology: Topology): Promise<void> {
  const { client, profile } = topology;
  const unmountTargets = [...mountOrder(profile.bindings).map((entry) => entry.hot).reverse(), profile.storage.baseMount];
  for (const target of unmountTargets) {
    // Exit status is ignored on purpose: a target that is already unmounted is fine here.
    await execInContainer(client.id, ['umount', '-l', target], { timeoutMs: 10_000 });
  }
  await execChecked(client.id, ['systemctl', 'stop', profile.storage.baseMountUnit], `stopping ${profile.storage.baseMountUnit}`);
  await execChecked(client.id, ['systemctl', 'reset-failed', profile.storage.baseMountUnit], `resetting ${profile.storage.baseMountUnit}`);
  await mountBase(client, profile.storage.baseMountUnit, profile.storage.baseMount);
  await bindHotPaths(client, profile.bindings);
}
