import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadSystemProfile } from '../../harness/config/system-profile.js';
import { serverPathOf } from '../../harness/expectations/invariants.js';
import { MountdrillError } from '../../harness/errors.js';
import { assertColdPathsUnder, mountOrder, parseManifest, relativeToBase } from '../../harness/topology/manifest.js';

describe('parseManifest', () => {
  it('reads cold and hot paths with line numbers', () => {
    const text = '# header\n/mnt/s/jobs/a   /srv/hot/a\n\n/mnt/s/jobs/b\t/srv/hot/b  # trailing comment\n';
    expect(parseManifest(text)).toEqual([
      { cold: '/mnt/s/jobs/a', hot: '/srv/hot/a', line: 2 },
      { cold: '/mnt/s/jobs/b', hot: '/srv/hot/b', line: 4 },
    ]);
  });

  it('strips trailing slashes', () => {
    expect(parseManifest('/mnt/s/a/ /srv/hot/a/')).toEqual([{ cold: '/mnt/s/a', hot: '/srv/hot/a', line: 1 }]);
  });

  it('returns nothing for comments only', () => {
    expect(parseManifest('# nothing\n   \n')).toEqual([]);
  });

  it.each([
    ['/mnt/s/a', /expected "<cold> <hot>", found 1 field/],
    ['/mnt/s/a /srv/a /srv/b', /found 3 field/],
    ['mnt/s/a /srv/a', /cold path "mnt\/s\/a" is not absolute/],
    ['/mnt/s/a srv/a', /hot path "srv\/a" is not absolute/],
    ['/mnt/s/../a /srv/a', /not normalized \(use \/mnt\/a\)/],
  ])('rejects %j', (line, message) => {
    expect(() => parseManifest(line, 'test.manifest')).toThrow(message);
  });

  it('names the source and line of an error', () => {
    try {
      parseManifest('/a /b\nbroken', 'hot.manifest');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MountdrillError);
      expect((error as MountdrillError).code).toBe('CONFIG_INVALID');
      expect((error as MountdrillError).message).toMatch(/^invalid manifest hot.manifest line 2:/);
    }
  });

  it('rejects a hot path bound twice', () => {
    expect(() => parseManifest('/mnt/s/a /srv/a\n/mnt/s/b /srv/a/')).toThrow(/hot path \/srv\/a is already bound on line 1/);
  });
});

describe('assertColdPathsUnder', () => {
  it('accepts cold paths inside the base mount', () => {
    expect(() => assertColdPathsUnder(parseManifest('/mnt/s/jobs/a /srv/a'), '/mnt/s')).not.toThrow();
  });

  it('rejects a cold path outside the base mount', () => {
    expect(() => assertColdPathsUnder(parseManifest('/mnt/other/a /srv/a'), '/mnt/s')).toThrow(/cold path \/mnt\/other\/a is outside the base mount \/mnt\/s/);
  });

  it('rejects a cold path that only shares a prefix', () => {
    expect(() => assertColdPathsUnder(parseManifest('/mnt/storage2/a /srv/a'), '/mnt/storage')).toThrow(/outside the base mount/);
  });

  it('rejects a hot path inside the base mount', () => {
    expect(() => assertColdPathsUnder(parseManifest('/mnt/s/a /mnt/s/b'), '/mnt/s')).toThrow(/hot path \/mnt\/s\/b is inside the base mount/);
  });
});

describe('mountOrder', () => {
  it('binds parents before nested hot paths', () => {
    const entries = parseManifest('/m/s/imports /srv/hot/jobs/imports\n/m/s/jobs /srv/hot/jobs\n/m/s/z /srv/a');
    expect(mountOrder(entries).map((entry) => entry.hot)).toEqual(['/srv/a', '/srv/hot/jobs', '/srv/hot/jobs/imports']);
  });
});

describe('relativeToBase', () => {
  it('returns the cold path relative to the base', () => {
    expect(relativeToBase('/mnt/storage/jobs/crawl', '/mnt/storage')).toBe('jobs/crawl');
  });
});

describe('serverPathOf', () => {
  const profile = loadSystemProfile(path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'reference-system'));
  const context = { profile, topology: {} as never };

  it('maps hot paths and the base mount to the export', () => {
    expect(serverPathOf(context, '/srv/hot/crawl/job0001-part00.dat')).toBe('/srv/storage/jobs/crawl/job0001-part00.dat');
    expect(serverPathOf(context, '/mnt/storage/jobs/index/a')).toBe('/srv/storage/jobs/index/a');
    expect(serverPathOf(context, '/var/tmp/x')).toBeUndefined();
  });
});
