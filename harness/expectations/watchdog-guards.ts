import { execChecked } from '../engine/exec.js';
import { readJsonLines } from '../observers/json-lines.js';
import { MountdrillError } from '../errors.js';
import { killSshfs } from '../faults/kill-sshfs.js';
import type { DrillContext } from '../runner/context.js';
import type { Expectation } from './expectation.js';
import { systemServiceActions } from './recovery.js';
import { debugLog } from '../log.js';

const log = debugLog('expectations');

type Guards = NonNullable<NonNullable<DrillContext['profile']['recovery']>['guards']>;

function guardsOf(context: DrillContext): Guards {
  const guards = context.profile.recovery?.guards;
  if (!guards) {
    throw new MountdrillError('CONFIG_INVALID', `system ${context.profile.name} declares no watchdog guards (key recovery.guards)`, {
      hint: 'add recovery.guards (sentinel, deployLock, cooldownSeconds, maxAppliesPerHour) to system.yaml',
    });
  }
  return guards;
}

/** Times (Unix seconds) at which the watchdog began an apply, from its action log. */
async function applyTimes(context: DrillContext): Promise<number[]> {
  const entries = await readJsonLines<{ mode: string; action?: string; time: number }>(context.topology.client.id, context.profile.recovery!.actionLog);
  return entries.filter((entry) => entry.mode === 'apply' && entry.action === 'stop-worker').map((entry) => entry.time);
}

async function touchedUnits(context: DrillContext, sinceSeconds: number): Promise<string[]> {
  return (await systemServiceActions(context, sinceSeconds)).map((event) => `${event.event} ${event.unit}`);
}

/**
 * Expects the watchdog to touch nothing while a guard holds. With `sentinel` the sentinel file is
 * removed, which disables the watchdog. With `deployLock` the lock is created and the sentinel
 * restored. It watches for `holdSeconds`, longer than the watchdog needs to act when unguarded.
 */
export function guardHoldsWatchdog(guard: 'sentinel' | 'deployLock'): Expectation {
  return {
    id: `guard-${guard}`,
    title: guard === 'sentinel' ? 'watchdog touches nothing while its sentinel is missing' : 'watchdog touches nothing while a deploy lock is held',
    needsRecovery: true,
    deadlineMs: (context) => (context.profile.recovery?.guards?.holdSeconds ?? 25) * 1000,
    async evaluate(context, deadlineMs) {
      const guards = guardsOf(context);
      const { id } = context.topology.client;
      if (guard === 'sentinel') {
        await execChecked(id, ['rm', '-f', guards.sentinel], 'removing the watchdog sentinel');
      } else {
        await execChecked(id, ['sh', '-c', `mkdir -p "$(dirname "$1")" && touch "$1"`, 'lock', guards.deployLock], 'taking the deploy lock');
        await execChecked(id, ['sh', '-c', `mkdir -p "$(dirname "$1")" && touch "$1"`, 'sentinel', guards.sentinel], 'restoring the watchdog sentinel');
      }
      const since = Date.now() / 1000;
      await context.clock.sleep(deadlineMs);
      const applies = (await applyTimes(context)).filter((time) => time >= since);
      const touched = await touchedUnits(context, since);
      if (applies.length > 0 || touched.length > 0) {
        return { ok: false, message: `watchdog acted while ${guard === 'sentinel' ? 'disabled' : 'the deploy lock was held'}: ${applies.length} apply(ies)`, evidence: { serviceActions: touched }, waitedMs: deadlineMs };
      }
      return { ok: true, message: `no apply and no service action in ${deadlineMs / 1000} s`, evidence: {}, waitedMs: deadlineMs };
    },
  };
}

/** Releases the deploy lock so the watchdog may act again. */
export function releaseDeployLock(): Expectation {
  return {
    id: 'release-deploy-lock',
    title: 'deploy lock released',
    needsRecovery: true,
    deadlineMs: () => 0,
    async evaluate(context) {
      await execChecked(context.topology.client.id, ['rm', '-f', guardsOf(context).deployLock], 'releasing the deploy lock');
      return { ok: true, message: `removed ${guardsOf(context).deployLock}`, evidence: {}, waitedMs: 0 };
    },
  };
}

/**
 * Repeats the fault every `everySeconds`, then expects the watchdog's applies to respect its
 * cooldown and its hourly cap. The window lasts the cap times the cooldown plus 15 s, so a watchdog
 * that kept its cooldown but ignored its cap would apply once more than the cap allows.
 * The evidence gives the count of applies.
 */
export function appliesWithinCaps(options: { everySeconds?: number } = {}): Expectation {
  const everySeconds = options.everySeconds ?? 8;
  return {
    id: 'applies-within-caps',
    title: 'repeating fault: applies respect cooldown and hourly cap',
    needsRecovery: true,
    deadlineMs: (context) => {
      const guards = context.profile.recovery?.guards;
      return ((guards?.maxAppliesPerHour ?? 1) * (guards?.cooldownSeconds ?? 60) + 15) * 1000;
    },
    async evaluate(context, deadlineMs) {
      const guards = guardsOf(context);
      const started = context.clock.monotonicNow();
      let injections = 0;
      while (context.clock.monotonicNow() - started < deadlineMs) {
        await context.clock.sleep(everySeconds * 1000);
        try {
          await killSshfs.inject(context);
          injections += 1;
        } catch (error) {
          // No live sshfs means the mount is still down from the previous injection; it stays faulted.
          log('repeat of kill-sshfs skipped: %s', error instanceof Error ? error.message : String(error));
        }
      }
      const applies = await applyTimes(context);
      const gaps = applies.slice(1).map((time, index) => Math.round((time - applies[index]!) * 10) / 10);
      const tooClose = gaps.filter((gap) => gap < guards.cooldownSeconds);
      const evidence = { applies: applies.length, injections, gapsSeconds: gaps, applyTimes: applies.map((time) => new Date(time * 1000).toISOString()) };
      if (tooClose.length > 0 || applies.length > guards.maxAppliesPerHour) {
        return {
          ok: false,
          message: `${applies.length} applies under ${injections} repeated fault(s): ${tooClose.length} within the ${guards.cooldownSeconds} s cooldown, hourly cap ${guards.maxAppliesPerHour}`,
          evidence,
          waitedMs: deadlineMs,
        };
      }
      return { ok: true, message: `${applies.length} apply(ies) under ${injections} repeated fault(s), none within the ${guards.cooldownSeconds} s cooldown`, evidence: {}, waitedMs: deadlineMs, detail: evidence };
    },
  };
}
