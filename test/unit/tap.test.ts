import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../harness/journal/journal.js';
import { noDrillPassedPoint, testPointFor } from '../../harness/reporters/step-point.js';
import { TapWriter, escapeDescription, formatDiagnostics } from '../../harness/reporters/tap.js';

function capture(): { sink: { write(text: string): void }; chunks: string[] } {
  const chunks: string[] = [];
  return { sink: { write: (text) => void chunks.push(text) }, chunks };
}

describe('TapWriter', () => {
  it('streams a version line, numbered points and a trailing plan', () => {
    const { sink, chunks } = capture();
    const tap = new TapWriter(sink);
    expect(chunks).toEqual(['TAP version 13\n']);

    tap.point({ ok: true, description: 'first' });
    expect(chunks.at(-1)).toBe('ok 1 - first\n');
    tap.point({ ok: false, description: 'second' });
    tap.point({ ok: true, description: 'third', directive: { kind: 'SKIP', reason: 'step second failed' } });
    tap.end();

    expect(tap.output).toBe('TAP version 13\nok 1 - first\nnot ok 2 - second\nok 3 - third # SKIP step second failed\n1..3\n');
    expect(chunks.join('')).toBe(tap.output);
  });

  it('writes the plan once', () => {
    const { sink } = capture();
    const tap = new TapWriter(sink);
    tap.end();
    tap.end();
    expect(tap.output).toBe('TAP version 13\n1..0\n');
  });

  it('ends with Bail out! and no plan when bailing out', () => {
    const { sink } = capture();
    const tap = new TapWriter(sink);
    tap.bailOut('engine\nunreachable');
    tap.end();
    expect(tap.output).toBe('TAP version 13\nBail out! engine unreachable\n');
  });

  it('drops points after a bail out', () => {
    const { sink, chunks } = capture();
    const tap = new TapWriter(sink);
    tap.point({ ok: true, description: 'before' });
    tap.bailOut('interrupted');
    tap.point({ ok: true, description: 'after' });
    expect(tap.output).toBe('TAP version 13\nok 1 - before\nBail out! interrupted\n');
    expect(chunks.join('')).toBe(tap.output);
  });

  it('indents YAML diagnostics between --- and ...', () => {
    const { sink } = capture();
    const tap = new TapWriter(sink);
    tap.point({ ok: false, description: 'x', diagnostics: { message: 'bad', evidence: { paths: ['/a', '/b'] } } });
    expect(tap.output).toBe('TAP version 13\nnot ok 1 - x\n  ---\n  message: bad\n  evidence:\n    paths:\n      - /a\n      - /b\n  ...\n');
  });
});

describe('escapeDescription', () => {
  it('escapes # so it cannot start a directive', () => {
    expect(escapeDescription('issue #5 and a\\b')).toBe('issue \\#5 and a\\\\b');
  });

  it('flattens line breaks', () => {
    expect(escapeDescription('one\n  two')).toBe('one two');
  });
});

describe('formatDiagnostics', () => {
  it('keeps multi-line strings as block scalars', () => {
    expect(formatDiagnostics({ message: 'line one\nline two' })).toBe('  ---\n  message: |-\n    line one\n    line two\n  ...\n');
  });
});

describe('testPointFor', () => {
  const base: StepRecord = { id: 'detected', title: 'detector reports ENOTCONN', status: 'passed', startedAt: 0, durationMs: 12.6, systemWaitMs: 0, message: 'ok' };

  it('maps a passed step to ok with its duration', () => {
    expect(testPointFor('drill', base)).toEqual({ ok: true, description: 'drill: detector reports ENOTCONN', diagnostics: { message: 'ok', durationMs: 13 } });
  });

  it('maps a skipped step to a SKIP directive', () => {
    const point = testPointFor('drill', { ...base, status: 'skipped', message: 'skipped: step symptom failed' });
    expect(point.ok).toBe(true);
    expect(point.directive).toEqual({ kind: 'SKIP', reason: 'skipped: step symptom failed' });
  });

  it('puts the evidence of a failed step into its message', () => {
    const point = testPointFor('drill', { ...base, status: 'failed', message: 'not reported', evidence: { reported: { '/srv/a': 'not reported' } } });
    expect(point.ok).toBe(false);
    expect(point.diagnostics?.message).toBe('not reported\nevidence:\n  reported:\n    /srv/a: not reported');
    expect(point.diagnostics?.step).toBe('detected');
  });
});

describe('noDrillPassedPoint', () => {
  it('fails a run of unavailable drills', () => {
    const point = noDrillPassedPoint([{ drill: 'slow-link', verdict: 'unavailable', unavailable: 'the kernel lacks sch_netem' }]);
    expect(point?.ok).toBe(false);
    expect(point?.description).toBe('run: no drill passed');
    expect(point?.diagnostics?.message).toBe('every drill was unavailable on this host, so nothing was tested; slow-link: the kernel lacks sch_netem');
  });

  it('fails a run without drills', () => {
    expect(noDrillPassedPoint([])?.diagnostics?.message).toBe('no drill ran');
  });

  it('adds nothing when a drill passed', () => {
    expect(noDrillPassedPoint([{ drill: 'slow-link', verdict: 'unavailable', unavailable: 'no netem' }, { drill: 'stale-hot-path', verdict: 'passed' }])).toBeUndefined();
  });

  it('adds nothing when a drill failed', () => {
    expect(noDrillPassedPoint([{ drill: 'stale-hot-path', verdict: 'failed' }])).toBeUndefined();
  });
});
