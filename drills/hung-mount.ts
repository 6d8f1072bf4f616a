import { detectorKeepsRunning, detectorReportsTimeout } from '../harness/expectations/detector-reports.js';
import { recovered } from '../harness/expectations/recovery.js';
import { defineDrill, type DrillDefinition } from '../harness/runner/drill.js';
import { backToWork, nothingLost, pagesCritical } from './shared-expectations.js';

/**
 * Returns a drill of a hung mount: the detector reports a timeout, not an error, and keeps
 * running on schedule, and the hot-path alert pages. Once the drill restores the network or the
 * server, the mount must come back without losing data.
 */
function hungMountDrill(definition: Pick<DrillDefinition, 'name' | 'description' | 'fault'>): DrillDefinition {
  return defineDrill({
    ...definition,
    // sshfs serves stat and readdir from its own cache for cache_timeout (20 s by default), so a
    // path read just before the fault can look healthy that long. One full run saw it at 15 s.
    symptomDeadlineMs: 30_000,
    expectations: [detectorReportsTimeout(), detectorKeepsRunning(), ...pagesCritical('hotPathUnreadable')],
    restoreBeforeRecovery: true,
    recovery: [recovered()],
    afterHeal: [...backToWork('hotPathUnreadable', { paged: true }), ...nothingLost()],
  });
}

/** Packets silently dropped and no ssh keepalive: every access hangs until the network is back. */
export const partitionHang = hungMountDrill({
  name: 'partition-hang',
  description: 'drop every packet between client and server on a mount without keepalives; accesses hang',
  fault: 'partition',
});

/** The storage server frozen: its kernel still acknowledges TCP, so nothing fails and everything hangs. */
export const serverPauseDrill = hungMountDrill({
  name: 'server-pause',
  description: 'freeze the storage server (docker pause); accesses hang',
  fault: 'server-pause',
});
