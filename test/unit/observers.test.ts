import { describe, expect, it } from 'vitest';
import { errnoName } from '../../harness/observers/errno.js';
import { entriesWithUnknownMetadata } from '../../harness/observers/ls-listing.js';
import { mountAt, parseMountInfo } from '../../harness/observers/mountinfo.js';
import { parsePathProbes } from '../../harness/observers/path-probe.js';
import { compareChecksums } from '../../harness/observers/checksums.js';
import { formatSample, parseExposition } from '../../harness/observers/textfile-metrics.js';

describe('parseMountInfo', () => {
  // Lines as the client container showed them after SIGKILL of sshfs: the bind mount shares the device.
  const text = [
    '1019 1001 0:62 / /mnt/storage rw,nosuid,nodev,relatime - fuse.sshfs storage@172.19.0.2:/srv/storage rw,user_id=0,group_id=0,allow_other',
    '1020 1001 0:62 /jobs/crawl /srv/hot/crawl rw,nosuid,nodev,relatime - fuse.sshfs storage@172.19.0.2:/srv/storage rw,user_id=0,group_id=0,allow_other',
    '1001 980 0:55 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/x',
    '1030 1001 0:70 / /srv/with\\040space rw - tmpfs tmpfs rw',
    '',
  ].join('\n');

  it('parses fields around the optional-field separator', () => {
    const entries = parseMountInfo(text);
    expect(entries).toHaveLength(4);
    expect(entries[1]).toEqual({ mountId: 1020, parentId: 1001, device: '0:62', root: '/jobs/crawl', mountPoint: '/srv/hot/crawl', fsType: 'fuse.sshfs', source: 'storage@172.19.0.2:/srv/storage' });
    expect(entries[2]!.fsType).toBe('overlay');
  });

  it('unescapes octal escapes in paths', () => {
    expect(parseMountInfo(text)[3]!.mountPoint).toBe('/srv/with space');
  });

  it('returns the last mount stacked on a mount point', () => {
    const stacked = parseMountInfo(`${text}\n1040 1019 0:63 / /mnt/storage rw - fuse.sshfs storage@x:/srv rw`);
    expect(mountAt(stacked, '/mnt/storage')?.device).toBe('0:63');
    expect(mountAt(stacked, '/nowhere')).toBeUndefined();
  });
});

describe('entriesWithUnknownMetadata', () => {
  it('finds entries that ls -l prints with question marks', () => {
    const output = 'total 4\nd????????? ? ? ? ?            ? crawl\ndrwxr-xr-x 2 root root 4096 Dec  4 20:04 index\n';
    expect(entriesWithUnknownMetadata(output)).toEqual(['crawl']);
  });

  it('returns nothing for a healthy listing', () => {
    expect(entriesWithUnknownMetadata('total 0\ndrwxr-xr-x 2 root root 40 Dec  4 20:04 a\n')).toEqual([]);
  });
});

describe('parsePathProbes', () => {
  it('classifies readable, failed and hung paths', () => {
    const output = JSON.stringify([
      { path: '/a', errno: 0, message: '', operation: '', hung: false, durationMs: 3 },
      { path: '/b', errno: 107, message: 'Transport endpoint is not connected', operation: 'stat', hung: false, durationMs: 2 },
      { path: '/c', errno: 0, message: 'no answer within 2.0 s', operation: 'stat or listdir', hung: true, durationMs: 2000 },
    ]);
    const probes = parsePathProbes(output);
    expect(probes.map((probe) => [probe.path, probe.ok, probe.errnoName])).toEqual([
      ['/a', true, 'ok'],
      ['/b', false, 'ENOTCONN'],
      ['/c', false, 'hung'],
    ]);
  });
});

describe('errnoName', () => {
  it('names known values and falls back to the number', () => {
    expect(errnoName(107)).toBe('ENOTCONN');
    expect(errnoName(110)).toBe('ETIMEDOUT');
    expect(errnoName(999)).toBe('errno 999');
  });
});

describe('parseExposition', () => {
  it('parses names, labels, values and skips comments', () => {
    const text = [
      '# HELP storage_path_errno errno of the probe',
      '# TYPE storage_path_errno gauge',
      'storage_path_errno{path="/srv/hot/crawl",role="hot"} 107',
      'storage_probe_last_run_timestamp_seconds 1.7964e+09',
      'with_timestamp{a="b"} 1 1712345678000',
    ].join('\n');
    const { samples, malformed } = parseExposition(text);
    expect(malformed).toEqual([]);
    expect(samples).toEqual([
      { name: 'storage_path_errno', labels: { path: '/srv/hot/crawl', role: 'hot' }, value: 107 },
      { name: 'storage_probe_last_run_timestamp_seconds', labels: {}, value: 1.7964e9 },
      { name: 'with_timestamp', labels: { a: 'b' }, value: 1 },
    ]);
  });

  it('unescapes label values', () => {
    const { samples } = parseExposition('m{path="a \\"quoted\\" back\\\\slash\\nline"} 1');
    expect(samples[0]!.labels.path).toBe('a "quoted" back\\slash\nline');
  });

  it('accepts special float values and a trailing comma', () => {
    const { samples } = parseExposition('a +Inf\nb{x="1",} NaN\nc -Inf');
    expect(samples.map((sample) => sample.value)).toEqual([Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY]);
  });

  it('reports malformed lines', () => {
    expect(parseExposition('m{path="unterminated} 1\nno_value\nx{1="a"} 2\nv abc').malformed).toEqual(['m{path="unterminated} 1', 'no_value', 'x{1="a"} 2', 'v abc']);
  });

  it('formats a sample back into exposition syntax', () => {
    expect(formatSample({ name: 'm', labels: { path: '/a' }, value: 107 })).toBe('m{path="/a"} 107');
    expect(formatSample({ name: 'm', labels: {}, value: 1 })).toBe('m 1');
  });
});

describe('compareChecksums', () => {
  const expected = new Map([
    ['/a', 'aa'],
    ['/b', 'bb'],
    ['/c', 'cc'],
  ]);

  it('reports differing, unreadable and unchecked files', () => {
    const mismatches = compareChecksums(expected, [
      { path: '/a', sha256: 'aa' },
      { path: '/b', sha256: 'xx' },
      { path: '/c', error: 'Transport endpoint is not connected (errno 107)' },
    ]);
    expect(mismatches).toEqual([
      { path: '/b', expected: 'bb', actual: 'xx' },
      { path: '/c', expected: 'cc', actual: 'unreadable: Transport endpoint is not connected (errno 107)' },
    ]);
    expect(compareChecksums(expected, [{ path: '/a', sha256: 'aa' }]).map((mismatch) => mismatch.actual)).toEqual(['not checked', 'not checked']);
  });
});
