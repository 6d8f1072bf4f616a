import { journalledWritesOnServer, noLocalWritesUnderMountpoints, retryBudgetKeptOnInfrastructureErrors, seededFilesIntact } from '../harness/expectations/invariants.js';
import { recovered } from '../harness/expectations/recovery.js';
import { appliesWithinCaps, guardHoldsWatchdog, releaseDeployLock } from '../harness/expectations/watchdog-guards.js';
import { defineDrill } from '../harness/runner/drill.js';

/**
 * Checks the watchdog's guards against a real stale mount. It must touch nothing while disabled
 * or while a deploy lock is held, and recover once released. While the fault keeps coming back,
 * it must not act more often than its cooldown and hourly cap allow.
 */
export const watchdogGuards = defineDrill({
  name: 'watchdog-guards',
  description: 'stale mount with the watchdog disabled, then deploy-locked, then released under a repeating fault',
  fault: 'kill-sshfs',
  expectations: [guardHoldsWatchdog('sentinel'), guardHoldsWatchdog('deployLock'), releaseDeployLock(), recovered(), appliesWithinCaps()],
  // A drill that recovers checks that nothing was lost. The plan check is left out, because the
  // repeating fault makes the watchdog apply more than once.
  afterHeal: [seededFilesIntact(), journalledWritesOnServer(), retryBudgetKeptOnInfrastructureErrors(), noLocalWritesUnderMountpoints()],
});
