import type { DrillJournal, StepRecord } from '../journal/journal.js';
import { drillTimings, overheadOf, timelineEntries, type DrillTimings, type OverheadBreakdown, type TimelineEntry } from '../journal/timeline.js';

export interface RunMetadata {
  runId: string;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  system: { name: string; directory: string };
  image: string;
  imageSource: string;
  engineVersion: string | undefined;
}

export interface DrillReport {
  name: string;
  fault: string;
  verdict: 'passed' | 'failed';
  steps: Array<Omit<StepRecord, 'startedAt'> & { startedAt: string }>;
  timeline: TimelineEntry[];
  timings: DrillTimings;
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
  const drills = journals.map(drillReport);
  const passed = drills.filter((drill) => drill.verdict === 'passed').length;
  return {
    ...metadata,
    verdict: drills.length > 0 && passed === drills.length ? 'ready' : 'not-ready',
    summary: { drills: drills.length, passed, failed: drills.length - passed },
    drills,
  };
}

function drillReport(journal: DrillJournal): DrillReport {
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
    timings: drillTimings(journal.events),
    overhead: overheadOf(journal),
    observations: journal.observations,
    teardownErrors: journal.teardownErrors,
  };
}
