import { alertInState } from '../harness/expectations/alerts.js';
import { detectorReportsErrno } from '../harness/expectations/detector-reports-errno.js';
import { recovered } from '../harness/expectations/recovery.js';
import { ENOTCONN } from '../harness/observers/errno.js';
import { defineDrill } from '../harness/runner/drill.js';
import { backToWork, nothingLost } from './shared-expectations.js';

/**
 * A partition under a mount with ssh keepalives: accesses hang until ssh gives up after
 * ServerAliveInterval × ServerAliveCountMax, then the mount fails with ENOTCONN. The detector
 * and the alert see a stale mount. Once the network is back the system must recover it.
 */
export const partitionKeepaliveDrill = defineDrill({
  name: 'partition-keepalive',
  description: 'drop every packet on a mount with ssh keepalives (1 s × 3); it hangs, then fails with ENOTCONN',
  fault: 'partition-keepalive',
  mount: { sshfsOptions: ['ServerAliveInterval=1', 'ServerAliveCountMax=3'] },
  symptomDeadlineMs: 40_000,
  // The notification is left out to keep the partition short: the watchdog waits for the server meanwhile.
  expectations: [detectorReportsErrno({ errno: ENOTCONN }), alertInState({ alert: 'hotPathUnreadable', state: 'firing' })],
  restoreBeforeRecovery: true,
  recovery: [recovered({ deadlineMs: 150_000 })],
  afterHeal: [...backToWork('hotPathUnreadable'), ...nothingLost()],
});
