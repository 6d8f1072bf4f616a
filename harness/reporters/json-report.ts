import type { DrillJournal, StepRecord } from '../journal/journal.js';
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
  verdict: 'passed' | 'failed';
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
  /** `ready` when every drill passed. */
  verdict: 'ready' | 'not-ready';
  summary: { drills: number; passed: number; failed: number };
  drills: DrillReport[];
}

/** Builds the JSON report from the drills' journals; pure, so it is tested without Docker. */
export function buildRunReport(metadata: RunMetadata, journals: DrillJournal[]): RunReport {
  const timeScale = metadata.alerting?.timeScale ?? 1;
  const drills = journals.map((journal) => drillReport(journal, timeScale));
  const passed = drills.filter((drill) => drill.verdict === 'passed').length;
  return {
    ...metadata,
    verdict: drills.length > 0 && passed === drills.length ? 'ready' : 'not-ready',
    summary: { drills: drills.length, passed, failed: drills.length - passed },
    drills,
  };
}

function drillReport(journal: DrillJournal, timeScale: number): DrillReport {
  const timings = drillTimings(journal.events);
  return {
    name: journal.drill,
    fault: journal.fault,
    verdict: journal.verdict,
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
