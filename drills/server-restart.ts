import { detectorReportsHealthy } from '../harness/expectations/detector-reports.js';
import { detectorReportsErrno } from '../harness/expectations/detector-reports-errno.js';
import { workerProgressing } from '../harness/expectations/invariants.js';
import { recovered } from '../harness/expectations/recovery.js';
import { ENOTCONN } from '../harness/observers/errno.js';
import { defineDrill } from '../harness/runner/drill.js';
import { backToWork, nothingLost, pagesCritical } from './shared-expectations.js';

/**
 * The storage server restarts under a mount without `-o reconnect`: the SSH session ends, sshfs
 * exits, and the hot paths are left on a dead connection even after the base mount's unit
 * mounts it again. The system must detect it, page, and re-bind.
 */
export const serverRestartDrill = defineDrill({
  name: 'server-restart',
  description: 'restart the storage server under a mount without -o reconnect; the hot paths go stale',
  fault: 'server-restart',
  expectations: [detectorReportsErrno({ errno: ENOTCONN }), ...pagesCritical('hotPathUnreadable')],
  recovery: [recovered()],
  afterHeal: [...backToWork('hotPathUnreadable', { paged: true }), ...nothingLost()],
});

/**
 * The same restart under a mount with `-o reconnect`: sshfs opens a new session by itself and
 * the mount carries on. The detector must see it healthy and the worker keep writing, with
 * nothing lost and no retries spent, before anything heals it.
 */
export const serverRestartReconnectDrill = defineDrill({
  name: 'server-restart-reconnect',
  description: 'restart the storage server under a mount with -o reconnect; the mount must come back by itself',
  fault: 'server-restart-reconnect',
  mount: { sshfsOptions: ['reconnect'] },
  symptomDeadlineMs: 30_000,
  expectations: [detectorReportsHealthy(), workerProgressing(), ...nothingLost()],
});
