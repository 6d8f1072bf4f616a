import { alertInState, alertResolved, notificationDelivered } from '../harness/expectations/alerts.js';
import type { Expectation } from '../harness/expectations/expectation.js';
import { journalledWritesOnServer, noLocalWritesUnderMountpoints, retryBudgetKeptOnInfrastructureErrors, seededFilesIntact, workerProgressing } from '../harness/expectations/invariants.js';

/** Returns the checks that an alert fires and pages the critical receiver. */
export function pagesCritical(alert: string): Expectation[] {
  return [alertInState({ alert, state: 'firing' }), notificationDelivered({ alert, receiver: 'critical', status: 'firing' })];
}

/** Returns the checks that the alert resolved and the worker writes again. */
export function backToWork(alert: string): Expectation[] {
  return [alertResolved({ alert }), workerProgressing()];
}

/**
 * Returns the no-data-lost invariants, with `extra` checks before the last one. The local-disk
 * check comes last, because it unmounts every hot path to look underneath.
 */
export function nothingLost(extra: Expectation[] = []): Expectation[] {
  return [seededFilesIntact(), journalledWritesOnServer(), retryBudgetKeptOnInfrastructureErrors(), ...extra, noLocalWritesUnderMountpoints()];
}
