import { alertInState, alertReceived, alertResolved, noOtherNotifications, notificationDelivered } from '../harness/expectations/alerts.js';
import { planMatchesApply, recovered, recoveryActionsInOrder, watchdogDryRun } from '../harness/expectations/recovery.js';
import { detectorReportsErrno } from '../harness/expectations/detector-reports-errno.js';
import {
  journalledWritesOnServer,
  noLocalWritesUnderMountpoints,
  retryBudgetKeptOnInfrastructureErrors,
  seededFilesIntact,
  workerProgressing,
} from '../harness/expectations/invariants.js';
import { ENOTCONN } from '../harness/observers/errno.js';
import { defineDrill } from '../harness/runner/drill.js';

/**
 * The sshfs daemon dies under a host whose job directories are bind-mounted from it. Every hot
 * path goes stale at once. The detector must report ENOTCONN for each, the hot-path alert must
 * fire and page the critical receiver. After healing, the alert must resolve and the worker must write
 * again. No data may be lost: seeded files and every journalled write are on the server, no job
 * spent retries on the outage, and nothing landed on the local disk under a mountpoint. Alert and
 * worker steps are skipped for a system that declares no alerting or no worker.
 */
export const staleHotPath = defineDrill({
  name: 'stale-hot-path',
  description: 'SIGKILL the base sshfs; the detector must report ENOTCONN on every hot path and the hot-path alert must page the critical receiver',
  fault: 'kill-sshfs',
  expectations: [
    detectorReportsErrno({ errno: ENOTCONN }),
    alertInState({ alert: 'hotPathUnreadable', state: 'firing' }),
    alertReceived({ alert: 'hotPathUnreadable' }),
    notificationDelivered({ alert: 'hotPathUnreadable', receiver: 'critical', status: 'firing' }),
    noOtherNotifications({ receivers: ['critical'] }),
    watchdogDryRun(),
  ],
  recovery: [recovered(), recoveryActionsInOrder()],
  afterHeal: [
    alertResolved({ alert: 'hotPathUnreadable' }),
    notificationDelivered({ alert: 'hotPathUnreadable', receiver: 'critical', status: 'resolved' }),
    workerProgressing(),
    seededFilesIntact(),
    journalledWritesOnServer(),
    retryBudgetKeptOnInfrastructureErrors(),
    planMatchesApply(),
    // Last, because it unmounts every hot path to look underneath.
    noLocalWritesUnderMountpoints(),
  ],
});
