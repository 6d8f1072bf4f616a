import { detectorReportsErrno } from '../harness/expectations/detector-reports-errno.js';
import { hotPathsShowTheirData } from '../harness/expectations/hot-path-data.js';
import { planMatchesApply, recovered, recoveryActionsInOrder, watchdogDryRun } from '../harness/expectations/recovery.js';
import { ENOTCONN } from '../harness/observers/errno.js';
import { defineDrill } from '../harness/runner/drill.js';
import { backToWork, nothingLost, pagesCritical } from './shared-expectations.js';

/**
 * Every hot path fails at once, one nested inside another. Recovery must unmount nested paths
 * first and bind outer paths first: otherwise the outer bind hides the nested one, which then
 * shows the wrong directory although it reads fine.
 */
export const multiPathDrill = defineDrill({
  name: 'multi-path',
  description: 'all hot paths stale at once, one nested in another; recovery must handle them in a safe order',
  fault: 'multi-path',
  expectations: [detectorReportsErrno({ errno: ENOTCONN }), ...pagesCritical('hotPathUnreadable'), watchdogDryRun()],
  recovery: [recovered(), recoveryActionsInOrder(), hotPathsShowTheirData()],
  afterHeal: [...backToWork('hotPathUnreadable', { paged: true }), ...nothingLost([planMatchesApply()])],
});
