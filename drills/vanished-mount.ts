import { detectorReportsBaseMissing } from '../harness/expectations/detector-reports.js';
import { recovered } from '../harness/expectations/recovery.js';
import { strayWriteKept, strayWriteLandsLocally } from '../harness/expectations/stray-write.js';
import { defineDrill } from '../harness/runner/drill.js';
import { backToWork, nothingLost, pagesCritical } from './shared-expectations.js';

/**
 * The SSH transport dies under a base mount that no unit restarts (an fstab mount): sshfs
 * unmounts and exits, and the mountpoint is a plain local directory. A job that creates its
 * directory writes to the local disk without any error. The detector must report the missing
 * mountpoint, the base-mount alert must page, and recovery must not mount over the stray file
 * without keeping it.
 */
export const vanishedMount = defineDrill({
  name: 'vanished-mount',
  description: 'kill the ssh transport of a base mount that is not restarted; the mount vanishes and writes land on the local disk',
  fault: 'kill-transport',
  mount: { restartOnFailure: false },
  expectations: [strayWriteLandsLocally(), detectorReportsBaseMissing(), ...pagesCritical('baseMountDown')],
  recovery: [recovered(), strayWriteKept()],
  afterHeal: [...backToWork('baseMountDown', { paged: true }), ...nothingLost()],
});
