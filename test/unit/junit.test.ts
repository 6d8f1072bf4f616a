import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pointDetails, withPointDetails, writeJunitFromTap } from '../../harness/reporters/junit.js';
import { TapWriter } from '../../harness/reporters/tap.js';

function sampleTap(): string {
  const tap = new TapWriter({ write() {} });
  tap.point({ ok: true, description: 'slow-link: topology up', diagnostics: { message: 'up: yes', durationMs: 3954 } });
  tap.point({ ok: true, description: 'slow-link: fault # SKIP in a name', directive: { kind: 'SKIP', reason: 'fault slow-link is unavailable on this host: no netem' } });
  tap.point({ ok: false, description: 'stale-binds: fault reproduced' });
  tap.point({ ok: true, description: 'stale-binds: detected', directive: { kind: 'SKIP', reason: 'step fault reproduced failed' } });
  tap.end();
  return tap.output;
}

describe('pointDetails', () => {
  it('reads skip reasons and durations', () => {
    expect([...pointDetails(sampleTap())]).toEqual([
      [1, { durationMs: 3954 }],
      [2, { skipReason: 'fault slow-link is unavailable on this host: no netem' }],
      [3, {}],
      [4, { skipReason: 'step fault reproduced failed' }],
    ]);
  });
});

describe('withPointDetails', () => {
  it('sets times and escaped skip messages', () => {
    const xml = '<testsuites><testsuite><testcase name="a" id="1"/><testcase name="b" id="2"><skipped/></testcase></testsuite></testsuites>';
    const result = withPointDetails(xml, new Map([[1, { durationMs: 1500 }], [2, { skipReason: 'qdisc "netem" <unknown> & no module' }]]));
    expect(result).toContain('<skipped message="qdisc &quot;netem&quot; &lt;unknown&gt; &amp; no module"/>');
    expect(result).toContain('<testcase name="a" id="1" time="1.500"/>');
  });
});

describe('writeJunitFromTap', () => {
  it('keeps failures and adds details', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-junit-test-'));
    try {
      const file = path.join(directory, 'junit.xml');
      await writeJunitFromTap(sampleTap(), file);
      const xml = await readFile(file, 'utf8');
      expect(xml).toContain('failures="1"');
      expect(xml).toContain('skipped="2"');
      expect(xml).toContain('<skipped message="fault slow-link is unavailable on this host: no netem"/>');
      expect(xml).toContain('<skipped message="step fault reproduced failed"/>');
      expect(xml).toContain('<testcase name="slow-link: topology up" id="1" time="3.954"/>');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
