import { alertInState } from '../harness/expectations/alerts.js';
import { detectorKeepsRunning } from '../harness/expectations/detector-reports.js';
import { recovered } from '../harness/expectations/recovery.js';
import { defineDrill } from '../harness/runner/drill.js';
import { backToWork, nothingLost } from './shared-expectations.js';

/** The drill's ssh keepalive: ssh closes the session after intervalSeconds × countMax unanswered probes. */
const keepalive = { intervalSeconds: 1, countMax: 3 };
/** Lifetime of the sshfs stat and readdir cache (cache_timeout default), so the hang can show this late. */
const sshfsCacheSeconds = 20;
/** Estimated room for ssh's exit to reach sshfs and for a few 2 s probes that time out; full runs passed with the resulting 40 s. */
const marginSeconds = 17;

/**
 * A partition under a mount with ssh keepalives: accesses hang until ssh gives up after
 * ServerAliveInterval × ServerAliveCountMax and sshfs exits. The hot paths then fail with
 * ENOTCONN or, with requests still queued on the dead connection, keep hanging. Either way the
 * detector must keep running on schedule and the hot-path alert must fire, and once the network
 * is back the system must recover the mount.
 */
export const partitionKeepaliveDrill = defineDrill({
  name: 'partition-keepalive',
  description: `drop every packet on a mount with ssh keepalives (${keepalive.intervalSeconds} s × ${keepalive.countMax}); it hangs until ssh gives up and sshfs exits`,
  fault: 'partition-keepalive',
  mount: { sshfsOptions: [`ServerAliveInterval=${keepalive.intervalSeconds}`, `ServerAliveCountMax=${keepalive.countMax}`] },
  symptomDeadlineMs: (sshfsCacheSeconds + keepalive.intervalSeconds * keepalive.countMax + marginSeconds) * 1000,
  // The notification is left out to keep the partition short.
  expectations: [detectorKeepsRunning(), alertInState({ alert: 'hotPathUnreadable', state: 'firing' })],
  restoreBeforeRecovery: true,
  // Hot paths can keep hanging after sshfs exits, and a watchdog's probe of a hung path waits out
  // its timeout before the watchdog counts it as stale.
  recovery: [recovered({ extraSeconds: 60 })],
  afterHeal: [...backToWork('hotPathUnreadable', { paged: false }), ...nothingLost()],
});
