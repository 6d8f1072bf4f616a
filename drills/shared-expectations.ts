import { alertInState, alertResolved, notificationDelivered } from '../harness/expectations/alerts.js';
import type { Expectation } from '../harness/expectations/expectation.js';
import { journalledWritesOnServer, noLocalWritesUnderMountpoints, retryBudgetKeptOnInfrastructureErrors, seededFilesIntact, workerProgressing } from '../harness/expectations/invariants.js';

/** Returns the checks that an alert fires and pages the critical receiver. */
export function pagesCritical(alert: string): Expectation[] {
  return [alertInState({ alert, state: 'firing' }), notificationDelivered({ alert, receiver: 'critical', status: 'firing' })];
}

/**
 * Returns the checks that the alert resolved, that the critical receiver got the resolved
 * notification when the drill checked that it was paged, and that the worker writes again.
 */
export function backToWork(alert: string, options: { paged: boolean }): Expectation[] {
  const resolvedNotification = options.paged ? [notificationDelivered({ alert, receiver: 'critical', status: 'resolved' })] : [];
  return [alertResolved({ alert }), ...resolvedNotification, workerProgressing()];
}

/**
 * Returns the no-data-lost invariants, with `extra` checks before the last one. The local-disk
 * check comes last, because it unmounts every hot path to look underneath.
 */
export function nothingLost(extra: Expectation[] = []): Expectation[] {
  return [seededFilesIntact(), journalledWritesOnServer(), retryBudgetKeptOnInfrastructureErrors(), ...extra, noLocalWritesUnderMountpoints()];
}
