import type { DrillJournal, DrillVerdict, StepRecord } from '../journal/journal.js';
import { drillTimings, realTimeTimings, overheadOf, timelineEntries, type DrillTimings, type OverheadBreakdown, type TimelineEntry } from '../journal/timeline.js';

export interface RunMetadata {
  runId: string;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  system: { name: string; directory: string };
  image: string;
  imageSource: string;
  engineVersion: string | undefined;
  /** Settings with which the system's alerting files were loaded; null when the system declares no alerting. */
  alerting: {
    timeScale: number;
    scrapeIntervalMs: number;
    evaluationIntervalMs: number;
    ruleFiles: Array<{ source: string; rewritten: boolean }>;
    alertmanagerConfig: string;
    redirectedReceivers: Array<{ receiver: string; integrations: string[] }>;
  } | null;
}

export interface DrillReport {
  name: string;
  fault: string;
  verdict: DrillVerdict;
  /** Reason the drill could not run on this host, when its verdict is `unavailable`. */
  unavailable?: string;
  steps: Array<Omit<StepRecord, 'startedAt'> & { startedAt: string }>;
  timeline: TimelineEntry[];
  timings: DrillTimings;
  /**
   * Estimate of the timings with the production durations, when a time scale was used
   * (see `realTimeTimings`); null without a time scale.
   */
  realTimeTimings: DrillTimings | null;
  overhead: OverheadBreakdown;
  observations: Record<string, unknown>;
  teardownErrors: string[];
}

export interface RunReport extends RunMetadata {
  /**
   * `ready` when no drill failed and at least one passed. Unavailable drills (a fault this host
   * cannot inject) neither pass nor fail; they are counted on their own.
   */
  verdict: 'ready' | 'not-ready';
  summary: { drills: number; passed: number; failed: number; unavailable: number };
  drills: DrillReport[];
}

/** Builds the JSON report from the drills' journals; pure, so it is tested without Docker. */
export function buildRunReport(metadata: RunMetadata, journals: DrillJournal[]): RunReport {
  const timeScale = metadata.alerting?.timeScale ?? 1;
  const drills = journals.map((journal) => drillReport(journal, timeScale));
  const passed = drills.filter((drill) => drill.verdict === 'passed').length;
  const unavailable = drills.filter((drill) => drill.verdict === 'unavailable').length;
  const failed = drills.length - passed - unavailable;
  return {
    ...metadata,
    verdict: passed > 0 && failed === 0 ? 'ready' : 'not-ready',
    summary: { drills: drills.length, passed, failed, unavailable },
    drills,
  };
}

/**
 * Formats the run's last stderr line: the verdict, the counts, and the drills that failed or could
 * not run here, so that a CI log shows what went wrong without report.json.
 */
export function verdictLine(report: RunReport): string {
  const { passed, failed, unavailable } = report.summary;
  const parts = [`${passed} passed`, `${failed} failed`, `${unavailable} unavailable`];
  const named = (verdict: DrillVerdict): string =>
    report.drills.filter((drill) => drill.verdict === verdict).map((drill) => drill.name).join(', ');
  const details = [
    ...(failed > 0 ? [`failed: ${named('failed')}`] : []),
    ...(unavailable > 0 ? [`unavailable on this host: ${named('unavailable')}`] : []),
  ];
  if (report.verdict === 'not-ready' && failed === 0) {
    details.push('no drill passed');
  }
  return `${report.verdict}: ${parts.join(', ')}${details.length > 0 ? `; ${details.join('; ')}` : ''}`;
}

function drillReport(journal: DrillJournal, timeScale: number): DrillReport {
  const timings = drillTimings(journal.events);
  return {
    name: journal.drill,
    fault: journal.fault,
    verdict: journal.verdict,
    ...(journal.unavailable === undefined ? {} : { unavailable: journal.unavailable }),
    steps: journal.steps.map((step) => ({
      ...step,
      startedAt: new Date(step.startedAt).toISOString(),
      durationMs: Math.round(step.durationMs),
      systemWaitMs: Math.round(step.systemWaitMs),
    })),
    timeline: timelineEntries(journal.events),
    timings,
    realTimeTimings: timeScale === 1 ? null : realTimeTimings(timings, timeScale),
    overhead: overheadOf(journal),
    observations: journal.observations,
    teardownErrors: journal.teardownErrors,
  };
}
