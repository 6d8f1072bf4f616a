import { alertInState } from '../harness/expectations/alerts.js';
import { recovered } from '../harness/expectations/recovery.js';
import { defineDrill } from '../harness/runner/drill.js';
import { backToWork, nothingLost } from './shared-expectations.js';

/**
 * A partition under a mount with ssh keepalives: accesses hang until ssh gives up after
 * ServerAliveInterval × ServerAliveCountMax and sshfs exits. The hot paths then fail with
 * ENOTCONN or, with requests still queued on the dead connection, keep hanging. Either way the
 * hot-path alert must fire, and once the network is back the system must recover the mount.
 */
export const partitionKeepaliveDrill = defineDrill({
  name: 'partition-keepalive',
  description: 'drop every packet on a mount with ssh keepalives (1 s × 3); it hangs until ssh gives up and sshfs exits',
  fault: 'partition-keepalive',
  mount: { sshfsOptions: ['ServerAliveInterval=1', 'ServerAliveCountMax=3'] },
  symptomDeadlineMs: 40_000,
  // The notification is left out to keep the partition short.
  expectations: [alertInState({ alert: 'hotPathUnreadable', state: 'firing' })],
  restoreBeforeRecovery: true,
  // Hot paths can keep hanging after sshfs exits, and a watchdog's probe of a hung path waits out
  // its timeout before the watchdog counts it as stale.
  recovery: [recovered({ extraSeconds: 60 })],
  afterHeal: [...backToWork('hotPathUnreadable', { paged: false }), ...nothingLost()],
});
