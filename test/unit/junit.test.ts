import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { skipReasons, withSkipReasons, writeJunitFromTap } from '../../harness/reporters/junit.js';
import { TapWriter } from '../../harness/reporters/tap.js';

function sampleTap(): string {
  const tap = new TapWriter({ write() {} });
  tap.point({ ok: true, description: 'slow-link: topology up' });
  tap.point({ ok: true, description: 'slow-link: fault # SKIP in a name', directive: { kind: 'SKIP', reason: 'fault slow-link is unavailable on this host: no netem' } });
  tap.point({ ok: false, description: 'stale-binds: fault reproduced' });
  tap.point({ ok: true, description: 'stale-binds: detected', directive: { kind: 'SKIP', reason: 'step fault reproduced failed' } });
  tap.end();
  return tap.output;
}

describe('skipReasons', () => {
  it('ignores a # escaped in a description', () => {
    expect([...skipReasons(sampleTap())]).toEqual([
      [2, 'fault slow-link is unavailable on this host: no netem'],
      [4, 'step fault reproduced failed'],
    ]);
  });
});

describe('withSkipReasons', () => {
  it('sets the message of each skipped element and leaves other test cases alone', () => {
    const xml = '<testsuites><testsuite><testcase name="a" id="1"/><testcase name="b" id="2"><skipped/></testcase></testsuite></testsuites>';
    const result = withSkipReasons(xml, new Map([[1, 'unused'], [2, 'qdisc "netem" <unknown> & no module']]));
    expect(result).toContain('<skipped message="qdisc &quot;netem&quot; &lt;unknown&gt; &amp; no module"/>');
    expect(result).toContain('<testcase name="a" id="1"/>');
  });
});

describe('writeJunitFromTap', () => {
  it('keeps failures from tap-junit and adds the skip reasons', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-junit-test-'));
    try {
      const file = path.join(directory, 'junit.xml');
      await writeJunitFromTap(sampleTap(), file);
      const xml = await readFile(file, 'utf8');
      expect(xml).toContain('failures="1"');
      expect(xml).toContain('skipped="2"');
      expect(xml).toContain('<skipped message="fault slow-link is unavailable on this host: no netem"/>');
      expect(xml).toContain('<skipped message="step fault reproduced failed"/>');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
