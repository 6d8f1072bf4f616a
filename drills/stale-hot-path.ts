import { detectorReportsErrno } from '../harness/expectations/detector-reports-errno.js';
import { ENOTCONN } from '../harness/observers/errno.js';
import { defineDrill } from '../harness/runner/drill.js';

/**
 * The sshfs daemon dies under a host whose job directories are bind-mounted from it. Every hot
 * path goes stale at once, and the detector must report ENOTCONN for each of them.
 */
export const staleHotPath = defineDrill({
  name: 'stale-hot-path',
  description: 'SIGKILL the base sshfs; every hot path goes stale and the detector must report ENOTCONN on each',
  fault: 'kill-sshfs',
  expectations: [detectorReportsErrno({ errno: ENOTCONN })],
});
