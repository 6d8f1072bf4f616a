import type { SystemProfile } from '../config/system-profile.js';
import { MountdrillError } from '../errors.js';
import { checkSteadyState } from '../expectations/steady-state.js';
import { resolveFault } from '../faults/catalog.js';
import type { Fault } from '../faults/fault.js';
import { DrillJournal, type StepRecord, type TimelineEventName } from '../journal/journal.js';
import { debugLog, type Progress } from '../log.js';
import { startTopology, type Topology } from '../topology/topology.js';
import type { Clock } from './clock.js';
import type { DrillContext } from './context.js';
import type { PendingHeals } from './pending-heals.js';
import { defaultSteadyStateDeadlineMs, defaultSymptomDeadlineMs, profileForDrill, type DrillDefinition } from './drill.js';
import { installSystem, scheduleDetector, startSystemServices } from './system-under-test.js';
import type { PreparedAlerting } from '../alerting/prepare.js';
import type { Expectation } from '../expectations/expectation.js';
import { labelsForRun } from '../labels.js';
import { startMonitoring, startNodeExporter, type Monitoring } from '../topology/monitoring.js';

const log = debugLog('runner');

/** Receives each step as soon as it finishes, so reporters can stream. */
export interface StepListener {
  stepFinished(drill: string, step: StepRecord): void;
}

export interface RunDrillOptions {
  drill: DrillDefinition;
  profile: SystemProfile;
  runId: string;
  image: string;
  clock: Clock;
  progress: Progress;
  listener: StepListener;
  /** The system's alerting files, prepared and validated; absent when the system declares none. */
  alerting?: PreparedAlerting;
  /** Registry where the drill keeps its fault's heal from injection to teardown, so an interrupt can run it. */
  pendingHeals?: PendingHeals;
}

interface StepOutcome {
  ok: boolean;
  /** Reason the step did not apply; it is recorded as skipped and does not fail the drill. */
  skipped?: string;
  message: string;
  evidence?: Record<string, unknown>;
  systemWaitMs?: number;
  event?: { name: TimelineEventName; detail?: Record<string, unknown> };
}

/**
 * Runs one drill: setup, steady state, fault, symptom, then each expectation. After the first
 * failed step the remaining steps are recorded as skipped. Teardown heals the fault and removes
 * the topology whatever happened; its errors are recorded and never replace the drill's verdict.
 */
export async function runDrill(options: RunDrillOptions): Promise<DrillJournal> {
  const { drill, clock, progress, listener } = options;
  const profile = profileForDrill(options.profile, drill);
  const fault: Fault = resolveFault(drill.fault);
  const journal = new DrillJournal({ drill: drill.name, system: profile.name, fault: fault.name, clock });
  const hotPaths = profile.bindings.map((entry) => entry.hot);

  const afterHeal = drill.afterHeal ?? [];
  // With recovery automation the system heals itself, and the drill waits for it instead of healing.
  const recovery = profile.recovery ? (drill.recovery ?? []) : [];
  const healTitle = `fault ${fault.name} healed`;
  // A fault in the environment is undone by the drill before the system is expected to recover.
  const restoreFirst = recovery.length > 0 && drill.restoreBeforeRecovery === true;
  const planned = [
    { id: 'setup', title: 'topology up and system installed' },
    { id: 'steady-state', title: 'steady state holds' },
    { id: 'fault', title: `fault ${fault.name} injected` },
    { id: 'symptom', title: 'fault reproduced' },
    ...drill.expectations.map((expectation) => ({ id: expectation.id, title: expectation.title })),
    ...(restoreFirst ? [{ id: 'restore', title: `environment of fault ${fault.name} restored` }] : []),
    ...recovery.map((expectation) => ({ id: expectation.id, title: expectation.title })),
    ...(afterHeal.length > 0 && recovery.length === 0 ? [{ id: 'heal', title: healTitle }] : []),
    ...afterHeal.map((expectation) => ({ id: expectation.id, title: expectation.title })),
  ];
  /** Why the remaining steps are skipped: a failed step, or a fault this host cannot inject. */
  let stopped: string | undefined;

  const runStep = async (index: number, body: () => Promise<StepOutcome>): Promise<boolean> => {
    const { id, title } = planned[index]!;
    if (stopped) {
      record({ id, title, status: 'skipped', startedAt: clock.wallNow(), durationMs: 0, systemWaitMs: 0, message: `skipped: ${stopped}` });
      return false;
    }
    const startedAt = clock.wallNow();
    const started = clock.monotonicNow();
    let outcome: StepOutcome;
    try {
      outcome = await body();
    } catch (error) {
      log('step %s of %s threw: %O', id, drill.name, error);
      outcome = {
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        evidence: error instanceof MountdrillError ? { ...error.evidence, ...(error.hint ? { hint: error.hint } : {}) } : {},
      };
    }
    if (outcome.ok && outcome.event) {
      journal.recordEvent(outcome.event.name, outcome.event.detail);
    }
    if (outcome.skipped) {
      record({ id, title, status: 'skipped', startedAt, durationMs: clock.monotonicNow() - started, systemWaitMs: 0, message: `skipped: ${outcome.skipped}` });
      return true;
    }
    record({
      id,
      title,
      status: outcome.ok ? 'passed' : 'failed',
      startedAt,
      durationMs: clock.monotonicNow() - started,
      systemWaitMs: outcome.systemWaitMs ?? 0,
      message: outcome.message,
      ...(outcome.evidence && Object.keys(outcome.evidence).length > 0 ? { evidence: outcome.evidence } : {}),
    });
    if (!outcome.ok) {
      stopped = `step ${id} failed`;
    }
    return outcome.ok;
  };

  const record = (step: StepRecord): void => {
    journal.recordStep(step);
    listener.stepFinished(drill.name, step);
  };

  let topology: Topology | undefined;
  let monitoring: Monitoring | undefined;
  let context: DrillContext | undefined;
  let injected = false;
  // Set once the fault is undone: by the heal step, or by the system when every recovery step passed.
  let healed = false;
  let releaseHeal: () => void = () => undefined;
  progress.info(`Drill ${drill.name}: ${drill.description}`);

  try {
    await runStep(0, async () => {
      topology = await startTopology({ runId: options.runId, drillName: drill.name, image: options.image, profile });
      context = { runId: options.runId, topology, profile, journal, clock, progress, hotPaths };
      await installSystem(context);
      await scheduleDetector(context);
      await startSystemServices(context);
      if (options.alerting) {
        await startNodeExporter(topology.client, profile.detector.textfileDirectory);
        monitoring = await startMonitoring({
          image: options.image,
          name: `mountdrill-${options.runId}-${drill.name}-monitoring`,
          network: topology.network,
          labels: labelsForRun(options.runId, drill.name),
          client: topology.client,
          prepared: options.alerting,
        });
        context.monitoring = monitoring;
      }
      const monitoringText = monitoring ? `, monitoring ${monitoring.address}` : '';
      return { ok: true, message: `storage ${topology.server.address}, client ${topology.client.address}${monitoringText}, ${hotPaths.length} hot path(s) bound` };
    });

    await runStep(1, async () => {
      const result = await checkSteadyState(context!, drill.steadyStateDeadlineMs ?? defaultSteadyStateDeadlineMs);
      return { ...result, systemWaitMs: result.waitedMs, event: { name: 'steady-state.ok', detail: result.detail } };
    });

    await runStep(2, async () => {
      const reason = fault.unavailable ? await fault.unavailable(context!) : undefined;
      if (reason !== undefined) {
        journal.unavailable = reason;
        stopped = `fault ${fault.name} is unavailable on this host`;
        return { ok: true, skipped: `fault ${fault.name} is unavailable on this host: ${reason}`, message: 'skipped' };
      }
      injected = true;
      // Registered before injecting, so an interrupt during a half-done injection heals it too.
      releaseHeal = options.pendingHeals?.register(fault.name, () => fault.heal(context!)) ?? releaseHeal;
      const evidence = await fault.inject(context!);
      return { ok: true, message: fault.description, evidence, event: { name: 'fault.injected', detail: evidence } };
    });

    await runStep(3, async () => {
      const check = await fault.confirm(context!, drill.symptomDeadlineMs ?? defaultSymptomDeadlineMs);
      if (check.reproduced) {
        journal.observe('symptom', check.evidence);
        return { ok: true, message: check.summary, systemWaitMs: check.waitedMs, event: { name: 'symptom.confirmed', detail: { probes: check.evidence.probes } } };
      }
      return {
        ok: false,
        message: `fault not reproduced: expected ${fault.symptom}; observed ${check.summary}`,
        evidence: check.evidence,
        systemWaitMs: check.waitedMs,
      };
    });

    let index = 4;
    for (const expectation of drill.expectations) {
      await runStep(index++, () => evaluateExpectation(expectation));
    }
    if (restoreFirst) {
      await runStep(index++, async () => {
        await (fault.restoreEnvironment ? fault.restoreEnvironment(context!) : fault.heal(context!));
        return { ok: true, message: fault.restoreEnvironment ? `environment of ${fault.name} restored; the system must recover by itself` : `${fault.name} healed` };
      });
    }
    let recoveredBySystem = recovery.length > 0;
    for (const expectation of recovery) {
      await runStep(index++, () => evaluateExpectation(expectation));
      recoveredBySystem &&= journal.steps.at(-1)?.status === 'passed';
    }
    healed ||= recoveredBySystem;
    if (afterHeal.length > 0 && recovery.length === 0) {
      await runStep(index++, async () => {
        await fault.heal(context!);
        healed = true;
        return { ok: true, message: `${fault.name} healed`, event: { name: 'fault.healed' } };
      });
    }
    for (const expectation of afterHeal) {
      await runStep(index++, () => evaluateExpectation(expectation));
    }
  } finally {
    await teardown();
    journal.finish();
  }
  return journal;

  async function evaluateExpectation(expectation: Expectation): Promise<StepOutcome> {
    if (expectation.needsAlerting && !context!.monitoring) {
      return { ok: true, skipped: `system ${profile.name} declares no alerting`, message: 'skipped' };
    }
    if (expectation.needsWorker && !profile.worker) {
      return { ok: true, skipped: `system ${profile.name} declares no worker`, message: 'skipped' };
    }
    if (expectation.needsRecovery && !profile.recovery) {
      return { ok: true, skipped: `system ${profile.name} declares no recovery`, message: 'skipped' };
    }
    const notApplicable = expectation.skipReason?.(context!);
    if (notApplicable !== undefined) {
      return { ok: true, skipped: notApplicable, message: 'skipped' };
    }
    const result = await expectation.evaluate(context!, expectation.deadlineMs(context!));
    if (result.ok && result.detail) {
      journal.observe(expectation.id, result.detail);
    }
    for (const event of result.ok ? (result.events ?? []) : []) {
      journal.recordEventAt(event.name, event.atWallMs, event.detail);
    }
    return { ...result, systemWaitMs: result.waitedMs, ...(expectation.event ? { event: { name: expectation.event, detail: result.detail } } : {}) };
  }

  async function teardown(): Promise<void> {
    if (monitoring) {
      try {
        await monitoring.container.stop({ remove: true, timeout: 1_000 });
      } catch (error) {
        journal.teardownErrors.push(`removing the monitoring container failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (injected && !healed && context) {
      try {
        await fault.heal(context);
      } catch (error) {
        journal.teardownErrors.push(`heal of ${fault.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    releaseHeal();
    if (topology) {
      try {
        await topology[Symbol.asyncDispose]();
      } catch (error) {
        journal.teardownErrors.push(`removing the topology failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    for (const message of journal.teardownErrors) {
      progress.warn(`${drill.name}: ${message}`);
    }
  }
}
