import { stringify } from 'yaml';
import type { DrillVerdict, StepRecord } from '../journal/journal.js';
import type { TestPoint } from './tap.js';

/** Maps a drill step to a TAP test point; failed steps carry their evidence as diagnostics. */
export function testPointFor(drill: string, step: StepRecord): TestPoint {
  const description = `${drill}: ${step.title}`;
  if (step.status === 'skipped') {
    return { ok: true, description, directive: { kind: 'SKIP', reason: step.message ?? 'skipped' } };
  }
  if (step.status === 'passed') {
    return { ok: true, description, diagnostics: { message: step.message, durationMs: Math.round(step.durationMs) } };
  }
  // tap-junit copies only `message` into the JUnit failure, so the evidence goes inside it.
  const evidence = step.evidence ? `\nevidence:\n${stringify(step.evidence, { lineWidth: 0 }).trimEnd().replace(/^/gm, '  ')}` : '';
  return {
    ok: false,
    description,
    diagnostics: {
      message: `${step.message ?? 'failed'}${evidence}`,
      severity: 'fail',
      step: step.id,
      durationMs: Math.round(step.durationMs),
    },
  };
}

/**
 * Returns a failed point for a run in which no drill passed and none failed, because every drill
 * was unavailable on this host (or none ran). Without it the TAP and JUnit reports of such a run
 * contain no failure while the run's verdict is not-ready.
 */
export function noDrillPassedPoint(drills: Array<{ drill: string; verdict: DrillVerdict; unavailable?: string | undefined }>): TestPoint | undefined {
  if (drills.some((drill) => drill.verdict !== 'unavailable')) {
    return undefined;
  }
  const reasons = drills.map((drill) => `${drill.drill}: ${drill.unavailable ?? 'unavailable'}`);
  return {
    ok: false,
    description: 'run: no drill passed',
    diagnostics: { message: reasons.length > 0 ? `every drill was unavailable on this host, so nothing was tested; ${reasons.join('; ')}` : 'no drill ran' },
  };
}
