import { describe, expect, it } from 'vitest';
import { DrillJournal } from '../../harness/journal/journal.js';
import { buildRunReport, verdictLine, type RunMetadata } from '../../harness/reporters/json-report.js';
import type { Clock } from '../../harness/runner/clock.js';

function steppingClock(): Clock & { advance(milliseconds: number): void } {
  let now = 0;
  return {
    wallNow: () => Date.UTC(2026, 11, 4) + now,
    monotonicNow: () => now,
    sleep: async () => undefined,
    advance(milliseconds) {
      now += milliseconds;
    },
  };
}

const metadata: RunMetadata = {
  runId: 'r1',
  tool: { name: 'mountdrill', version: '0.0.0' },
  startedAt: 'start',
  finishedAt: 'end',
  system: { name: 'sys', directory: '/sys' },
  image: 'mountdrill/base:abc',
  imageSource: 'debootstrap',
  engineVersion: '20.10',
  alerting: null,
};

function journal(passed: boolean): DrillJournal {
  const clock = steppingClock();
  const drill = new DrillJournal({ drill: passed ? 'good' : 'bad', system: 'sys', fault: 'kill-sshfs', clock });
  drill.recordStep({ id: 'steady-state', title: 'steady', status: 'passed', startedAt: clock.wallNow(), durationMs: 1_000.4, systemWaitMs: 800 });
  clock.advance(1_000);
  drill.recordEvent('fault.injected');
  clock.advance(1_500);
  drill.recordEvent('detected');
  drill.recordStep({ id: 'detected', title: 'detected', status: passed ? 'passed' : 'failed', startedAt: clock.wallNow(), durationMs: 1_500, systemWaitMs: 1_500 });
  clock.advance(500);
  drill.finish();
  return drill;
}

function unavailableJournal(): DrillJournal {
  const clock = steppingClock();
  const drill = new DrillJournal({ drill: 'slow', system: 'sys', fault: 'slow-link', clock });
  drill.recordStep({ id: 'setup', title: 'setup', status: 'passed', startedAt: clock.wallNow(), durationMs: 10, systemWaitMs: 0 });
  drill.unavailable = 'the kernel lacks sch_netem';
  drill.recordStep({ id: 'fault', title: 'fault', status: 'skipped', startedAt: clock.wallNow(), durationMs: 0, systemWaitMs: 0 });
  drill.finish();
  return drill;
}

describe('buildRunReport', () => {
  it('counts an unavailable drill on its own, never as passed', () => {
    const report = buildRunReport(metadata, [journal(true), unavailableJournal()]);
    expect(report.summary).toEqual({ drills: 2, passed: 1, failed: 0, unavailable: 1 });
    expect(report.drills[1]).toMatchObject({ verdict: 'unavailable', unavailable: 'the kernel lacks sch_netem' });
    expect(report.verdict).toBe('ready');
    expect(buildRunReport(metadata, [unavailableJournal()]).verdict).toBe('not-ready');
    expect(buildRunReport(metadata, [journal(false), unavailableJournal()]).verdict).toBe('not-ready');
  });

  it('is ready only when every drill passed', () => {
    expect(buildRunReport(metadata, [journal(true)]).verdict).toBe('ready');
    expect(buildRunReport(metadata, [journal(true), journal(false)]).verdict).toBe('not-ready');
    expect(buildRunReport(metadata, []).verdict).toBe('not-ready');
  });

  it('summarizes drills with timings and overhead', () => {
    const report = buildRunReport(metadata, [journal(true), journal(false)]);
    expect(report.summary).toEqual({ drills: 2, passed: 1, failed: 1, unavailable: 0 });
    const drill = report.drills[0]!;
    expect(drill.timings.timeToDetectMs).toBe(1_500);
    expect(drill.overhead).toEqual({ wallMs: 3_000, systemWaitMs: 2_300, harnessOverheadMs: 700 });
    expect(drill.steps[0]!.startedAt).toBe('2026-12-04T00:00:00.000Z');
    expect(drill.steps[0]!.durationMs).toBe(1_000);
    expect(drill.timeline.map((entry) => [entry.name, entry.sinceFaultMs])).toEqual([
      ['fault.injected', 0],
      ['detected', 1_500],
    ]);
  });
});

describe('verdictLine', () => {
  it('names the drills that failed or could not run', () => {
    expect(verdictLine(buildRunReport(metadata, [journal(true), unavailableJournal()]))).toBe(
      'ready: 1 passed, 0 failed, 1 unavailable; unavailable on this host: slow',
    );
    expect(verdictLine(buildRunReport(metadata, [journal(true), journal(false)]))).toBe('not-ready: 1 passed, 1 failed, 0 unavailable; failed: bad');
  });

  it('says why a run without failures is not ready', () => {
    expect(verdictLine(buildRunReport(metadata, [unavailableJournal()]))).toBe(
      'not-ready: 0 passed, 0 failed, 1 unavailable; unavailable on this host: slow; no drill passed',
    );
  });
});
