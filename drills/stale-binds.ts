import { detectorReports } from '../harness/expectations/detector-reports.js';
import { detectorReportsErrno } from '../harness/expectations/detector-reports-errno.js';
import { recovered } from '../harness/expectations/recovery.js';
import { ENOTCONN } from '../harness/observers/errno.js';
import { defineDrill } from '../harness/runner/drill.js';
import { backToWork, nothingLost, pagesCritical } from './shared-expectations.js';

/**
 * The base mount's service restarts sshfs: the base mount is fine, every bind mount still
 * points at the dead connection. A detector that probes only the base misses it. Recovery
 * must re-bind the hot paths onto the live mount.
 */
export const staleBinds = defineDrill({
  name: 'stale-binds',
  description: 'restart the base mount service; the base is fine, the bind-mounted hot paths stay stale',
  fault: 'base-restart',
  expectations: [
    detectorReportsErrno({ errno: ENOTCONN }),
    detectorReports({ id: 'detector-base-ok', title: 'detector reports the base mount readable', metric: 'errno', paths: (context) => [context.profile.storage.baseMount], pathsText: 'the base mount', value: 0, meaning: 'no error', detection: false }),
    ...pagesCritical('hotPathUnreadable'),
  ],
  recovery: [recovered()],
  afterHeal: [...backToWork('hotPathUnreadable', { paged: true }), ...nothingLost()],
});
