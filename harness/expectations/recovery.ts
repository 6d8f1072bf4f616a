import { execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { readJsonLines } from '../observers/json-lines.js';
import { mountAt, parseMountInfo } from '../observers/mountinfo.js';
import { describeProbe, probePaths } from '../observers/path-probe.js';
import type { DrillContext } from '../runner/context.js';
import { detectorUnits } from '../runner/system-under-test.js';
import { pollUntil } from '../runner/poll.js';
import { readServiceEvents, type ServiceEvent } from '../topology/service-manager.js';
import type { Expectation } from './expectation.js';

function recoveryOf(context: DrillContext): NonNullable<DrillContext['profile']['recovery']> {
  const recovery = context.profile.recovery;
  if (!recovery) {
    throw new MountdrillError('CONFIG_INVALID', `system ${context.profile.name} declares no recovery`, { hint: 'add recovery (dryRun, actionLog) to system.yaml' });
  }
  return recovery;
}

interface RecoveryState {
  ok: boolean;
  problems: string[];
  probes: string[];
  devices: Record<string, string>;
}

/**
 * Reads whether every hot path is readable again and backed by the live sshfs connection.
 * Each hot path's mountinfo device must be the base mount's. A bind mount left over from the
 * dead connection keeps the old device number and keeps failing with ENOTCONN.
 */
async function recoveryState(context: DrillContext): Promise<RecoveryState> {
  const { baseMount } = context.profile.storage;
  const probes = await probePaths(context.topology.client.id, [baseMount, ...context.hotPaths]);
  const entries = parseMountInfo((await execInContainer(context.topology.client.id, ['cat', '/proc/self/mountinfo'], { timeoutMs: 5_000 })).stdout);
  const base = mountAt(entries, baseMount);
  const problems = probes.filter((probe) => !probe.ok).map(describeProbe);
  const devices: Record<string, string> = { [baseMount]: base ? `${base.fsType} ${base.device}` : 'not mounted' };
  if (base?.fsType !== 'fuse.sshfs') {
    problems.push(`${baseMount}: ${base ? `mounted as ${base.fsType}` : 'not mounted'}, expected fuse.sshfs`);
  }
  for (const hot of context.hotPaths) {
    const entry = mountAt(entries, hot);
    devices[hot] = entry ? `${entry.fsType} ${entry.device}` : 'not mounted';
    if (!entry) {
      problems.push(`${hot}: not a mount point`);
    } else if (base && entry.device !== base.device) {
      problems.push(`${hot}: on device ${entry.device}, but the live base mount is ${base.device}`);
    }
  }
  return { ok: problems.length === 0, problems, probes: probes.map(describeProbe), devices };
}

/**
 * Expects the system's own recovery to make every hot path readable and backed by the live
 * connection within the profile's `recovery.deadlineSeconds`, plus `extraSeconds` for a fault
 * that leaves the system more to do. Records `recovery.started` and one `recovery.action` per
 * service start, stop or restart the client's service manager saw after the fault.
 */
export function recovered(options: { extraSeconds?: number } = {}): Expectation {
  return {
    id: 'recovered',
    title: 'every hot path readable again on the live mount',
    event: 'recovered',
    needsRecovery: true,
    deadlineMs: (context) => (recoveryOf(context).deadlineSeconds + (options.extraSeconds ?? 0)) * 1000,
    async evaluate(context, deadlineMs) {
      const result = await pollUntil({ probe: () => recoveryState(context), until: (state) => state.ok, timeoutMs: deadlineMs, intervalMs: 250, clock: context.clock });
      const state = result.ok ? result.value : result.lastValue;
      const actions = await serviceActionsSinceFault(context);
      if (result.ok) {
        const first = actions[0];
        return {
          ok: true,
          message: `${context.hotPaths.length} hot path(s) readable on ${state!.devices[context.profile.storage.baseMount]}`,
          evidence: {},
          waitedMs: result.elapsedMs,
          detail: { devices: state!.devices },
          events: [
            ...(first ? [{ name: 'recovery.started' as const, atWallMs: first.time * 1000, detail: { unit: first.unit, event: first.event } }] : []),
            ...actions.map((action) => ({ name: 'recovery.action' as const, atWallMs: action.time * 1000, detail: { unit: action.unit, event: action.event, by: action.by } })),
          ],
        };
      }
      return {
        ok: false,
        message: `not recovered within ${deadlineMs} ms: ${state?.problems[0] ?? String(result.ok ? '' : result.lastError)}`,
        evidence: { problems: state?.problems ?? [], probes: state?.probes ?? [], devices: state?.devices ?? {}, serviceActions: actions.map(actionText) },
        waitedMs: result.elapsedMs,
      };
    },
  };
}

/**
 * Returns the starts, stops and restarts of the system's units since a moment (Unix seconds),
 * as the client's service manager recorded them. The detector's and the watchdog's own units are
 * left out, and so are restarts by a unit's restart policy, which no recovery requested.
 */
export async function systemServiceActions(context: DrillContext, sinceSeconds: number): Promise<ServiceEvent[]> {
  const ignored = new Set([detectorUnits.service, detectorUnits.timer, ...(context.profile.recovery?.units ?? [])]);
  return (await readServiceEvents(context.topology.client.id)).filter(
    (event) => event.time >= sinceSeconds && ['start', 'stop', 'restart'].includes(event.event) && !ignored.has(event.unit) && event.by !== 'restart-policy',
  );
}

function serviceActionsSinceFault(context: DrillContext): Promise<ServiceEvent[]> {
  const fault = context.journal.events.find((event) => event.name === 'fault.injected');
  return systemServiceActions(context, (fault?.at ?? 0) / 1000);
}

function actionText(event: ServiceEvent): string {
  return `${new Date(event.time * 1000).toISOString()} ${event.event} ${event.unit}${event.by ? ` (by ${event.by})` : ''}`;
}

/**
 * Expects the recovery's service actions in a safe order: the worker stopped before the base
 * mount's service restarted, and started again only after it.
 */
export function recoveryActionsInOrder(): Expectation {
  return {
    id: 'recovery-order',
    title: 'worker stopped, base mount restarted, worker started, in that order',
    needsRecovery: true,
    deadlineMs: () => 0,
    async evaluate(context) {
      const workerUnit = context.profile.worker?.unit;
      const baseUnit = context.profile.storage.baseMountUnit;
      if (!workerUnit) {
        throw new MountdrillError('CONFIG_INVALID', `system ${context.profile.name} names no worker unit (key worker.unit)`);
      }
      const actions = await serviceActionsSinceFault(context);
      const index = (predicate: (event: ServiceEvent) => boolean): number => actions.findIndex(predicate);
      const workerStop = index((event) => event.unit === workerUnit && event.event === 'stop');
      const baseRestart = index((event) => event.unit === baseUnit && (event.event === 'restart' || event.event === 'start'));
      const workerStart = actions.findIndex((event, position) => position > baseRestart && event.unit === workerUnit && event.event === 'start');
      const ordered = workerStop !== -1 && baseRestart > workerStop && workerStart > baseRestart;
      return ordered
        ? { ok: true, message: actions.map((event) => `${event.event} ${event.unit}`).join(' → '), evidence: {}, waitedMs: 0 }
        : { ok: false, message: `recovery actions out of order or missing (worker stop #${workerStop}, base restart #${baseRestart}, worker start #${workerStart})`, evidence: { serviceActions: actions.map(actionText) }, waitedMs: 0 };
    },
  };
}

interface ActionLogEntry {
  mode: 'dry-run' | 'apply' | 'skipped';
  plan?: Array<{ action: string; target: string }>;
  action?: string;
  target?: string;
  ok?: boolean;
}

function readActionLog(context: DrillContext): Promise<ActionLogEntry[]> {
  return readJsonLines<ActionLogEntry>(context.topology.client.id, recoveryOf(context).actionLog);
}

/** Runs the watchdog's dry run during the outage and keeps its plan for `planMatchesApply`. */
export function watchdogDryRun(): Expectation {
  return {
    id: 'watchdog-dry-run',
    title: 'watchdog dry run plans a recovery',
    needsRecovery: true,
    deadlineMs: () => 30_000,
    async evaluate(context) {
      const result = await execInContainer(context.topology.client.id, recoveryOf(context).dryRun, { timeoutMs: 30_000 });
      const plan = result.stdout
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as { action: string; target: string });
      if (result.exitCode !== 0 || plan.length === 0) {
        return { ok: false, message: `the dry run planned nothing (exit code ${result.exitCode})`, evidence: { stdout: result.stdout, stderr: result.stderr }, waitedMs: 0 };
      }
      return { ok: true, message: plan.map((step) => `${step.action} ${step.target}`).join('; '), evidence: {}, waitedMs: 0, detail: { plan } };
    },
  };
}

/** Expects the actions the watchdog applied to be the ones its dry run planned, in the same order. */
export function planMatchesApply(): Expectation {
  return {
    id: 'watchdog-plan-matches-apply',
    title: "watchdog applied exactly the actions its dry run planned",
    needsRecovery: true,
    deadlineMs: () => 0,
    async evaluate(context) {
      const planned = (context.journal.observations['watchdog-dry-run'] as { plan: Array<{ action: string; target: string }> } | undefined)?.plan ?? [];
      const applied = (await readActionLog(context)).filter((entry) => entry.mode === 'apply').map((entry) => ({ action: entry.action!, target: entry.target! }));
      const text = (steps: Array<{ action: string; target: string }>): string[] => steps.map((step) => `${step.action} ${step.target}`);
      const same = JSON.stringify(text(planned)) === JSON.stringify(text(applied));
      return same
        ? { ok: true, message: `${applied.length} action(s) applied as planned`, evidence: {}, waitedMs: 0 }
        : { ok: false, message: `applied actions differ from the dry-run plan`, evidence: { planned: text(planned), applied: text(applied) }, waitedMs: 0 };
    },
  };
}
