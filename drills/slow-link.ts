import { detectorReportsHealthy } from '../harness/expectations/detector-reports.js';
import { journalledWritesOnServer, workerProgressing } from '../harness/expectations/invariants.js';
import { defineDrill } from '../harness/runner/drill.js';

/**
 * A slow, lossy link: the mount stays usable, only slower. The detector must not report a
 * healthy mount as failing or hung, and the worker must keep writing. Hosts whose kernel has no
 * netem report this drill as unavailable.
 */
export const slowLinkDrill = defineDrill({
  name: 'slow-link',
  description: 'add delay and loss to the client’s link (tc netem); the mount must stay usable and reported healthy',
  fault: 'slow-link',
  symptomDeadlineMs: 30_000,
  expectations: [detectorReportsHealthy(), workerProgressing(), journalledWritesOnServer()],
});
