import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../harness/config/settings.js';
import { isDebianFamily, parseOsRelease } from '../../harness/engine/os-release.js';
import { parsePsOutput, sshfsProcessesFor, sshTransportsTo } from '../../harness/faults/sshfs-process.js';
import { nestedHotPaths } from '../../harness/faults/multi-path.js';
import { netemMissing } from '../../harness/faults/slow-link.js';
import { debootstrapPhase } from '../../harness/images/debootstrap-progress.js';
import { baseRecipe, dockerfileFor, imageReference, recipeHash } from '../../harness/images/recipe.js';
import { newRunId } from '../../harness/runner/run-id.js';
import { generateSeed } from '../../harness/topology/seed.js';
import { shellCommand, shellQuote } from '../../harness/topology/shell-quote.js';
import { sshfsCommand } from '../../harness/topology/client-host.js';

describe('sshfsProcessesFor', () => {
  const ps = parsePsOutput(
    [
      '    1 /sbin/docker-init -- sleep infinity',
      '   27 sshfs -o IdentityFile=/root/.ssh/id_ed25519,allow_other storage@172.19.0.2:/srv/storage /mnt/storage',
      '   28 ssh -x -a -oClearAllForwardings=yes -2 storage@172.19.0.2 -s sftp',
      '   40 /usr/bin/sshfs storage@x:/srv /mnt/storage2',
    ].join('\n'),
  );

  it('parses pid and arguments', () => {
    expect(ps[1]).toEqual({ pid: 27, args: 'sshfs -o IdentityFile=/root/.ssh/id_ed25519,allow_other storage@172.19.0.2:/srv/storage /mnt/storage' });
  });

  it('matches sshfs by its mount point argument, not ssh or a prefix', () => {
    expect(sshfsProcessesFor(ps, '/mnt/storage').map((entry) => entry.pid)).toEqual([27]);
    expect(sshfsProcessesFor(ps, '/mnt/storage2/').map((entry) => entry.pid)).toEqual([40]);
    expect(sshfsProcessesFor(ps, '/mnt/none')).toEqual([]);
  });

  it('finds the ssh transport of an SFTP session by server address, never sshfs itself', () => {
    const transports = parsePsOutput(
      [
        '   27 sshfs -o reconnect storage@172.19.0.2:/srv/storage /mnt/storage',
        '   28 ssh -x -a -oClearAllForwardings=yes -2 -s -- storage@172.19.0.2 sftp',
        '   29 ssh -s -- storage@172.19.0.20 sftp',
        '   30 ssh storage@172.19.0.2 uptime',
      ].join('\n'),
    );
    expect(sshTransportsTo(transports, '172.19.0.2').map((entry) => entry.pid)).toEqual([28]);
  });
});

describe('nestedHotPaths', () => {
  it('returns hot paths inside another hot path only', () => {
    expect(nestedHotPaths(['/srv/hot/crawl', '/srv/hot/index', '/srv/hot/crawl/imports'])).toEqual(['/srv/hot/crawl/imports']);
    expect(nestedHotPaths(['/srv/hot/crawl', '/srv/hot/crawler'])).toEqual([]);
  });
});

describe('parseOsRelease', () => {
  it('reads quoted and unquoted values', () => {
    const release = parseOsRelease('PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=noble\n');
    expect(release).toEqual({ id: 'ubuntu', idLike: ['debian'], versionCodename: 'noble' });
    expect(isDebianFamily(release)).toBe(true);
  });

  it('rejects other families', () => {
    expect(isDebianFamily(parseOsRelease('ID="fedora"\n'))).toBe(false);
    expect(isDebianFamily(parseOsRelease('ID=linuxmint\nID_LIKE="ubuntu debian"'))).toBe(true);
  });
});

describe('loadSettings', () => {
  it('defaults to debootstrap and provisioning on', () => {
    const settings = loadSettings({}, '/work');
    expect(settings).toEqual({ imageSource: 'debootstrap', debianMirror: 'http://deb.debian.org/debian', provision: true, reportsDir: '/work/reports' });
  });

  it('reads MOUNTDRILL_NO_PROVISION and the reports directory', () => {
    const settings = loadSettings({ MOUNTDRILL_NO_PROVISION: '1', MOUNTDRILL_REPORTS_DIR: 'out', MOUNTDRILL_IMAGE_SOURCE: 'auto' }, '/work');
    expect(settings.provision).toBe(false);
    expect(settings.reportsDir).toBe('/work/out');
    expect(settings.imageSource).toBe('auto');
  });

  it('names the variable and value it rejects', () => {
    expect(() => loadSettings({ MOUNTDRILL_IMAGE_SOURCE: 'docker-hub' })).toThrow(/invalid environment variable MOUNTDRILL_IMAGE_SOURCE="docker-hub"/);
  });
});

describe('image recipe', () => {
  it('hashes independently of package order', () => {
    const reordered = { ...baseRecipe, packages: [...baseRecipe.packages].reverse() };
    expect(recipeHash(reordered)).toBe(recipeHash(baseRecipe));
    expect(recipeHash(baseRecipe)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('changes the tag when the package list changes', () => {
    expect(imageReference({ ...baseRecipe, packages: [...baseRecipe.packages, 'strace'] })).not.toBe(imageReference(baseRecipe));
  });

  it('includes every package in the registry Dockerfile', () => {
    const dockerfile = dockerfileFor(baseRecipe);
    expect(dockerfile.startsWith('FROM debian:bookworm-slim\n')).toBe(true);
    for (const name of ['sshfs', 'fuse3', 'openssh-server', 'prometheus', 'prometheus-alertmanager', 'prometheus-node-exporter']) {
      expect(dockerfile).toContain(` ${name} `);
    }
  });
});

describe('debootstrapPhase', () => {
  it('maps progress lines to phases', () => {
    expect(debootstrapPhase('I: Retrieving libc6 2.36-9')).toBe('retrieving');
    expect(debootstrapPhase('I: Configuring sshfs...')).toBe('configuring');
    expect(debootstrapPhase('W: something')).toBeUndefined();
  });
});

describe('generateSeed', () => {
  it('is deterministic per salt and distinct across salts', () => {
    const first = generateSeed({ directories: ['jobs/b', 'jobs/a', 'jobs/a'], salt: 'run-1' });
    const again = generateSeed({ directories: ['jobs/a', 'jobs/b'], salt: 'run-1' });
    const other = generateSeed({ directories: ['jobs/a', 'jobs/b'], salt: 'run-2' });
    expect(first.map((file) => file.relativePath)).toEqual(['SEEDED-BY-MOUNTDRILL', 'jobs/a/seed-1.dat', 'jobs/a/seed-2.dat', 'jobs/a/seed-3.dat', 'jobs/b/seed-1.dat', 'jobs/b/seed-2.dat', 'jobs/b/seed-3.dat']);
    expect(first.map((file) => file.sha256)).toEqual(again.map((file) => file.sha256));
    expect(first[1]!.sha256).not.toBe(other[1]!.sha256);
    expect(first[1]!.content).toHaveLength(4096);
  });
});

describe('shellQuote', () => {
  it('leaves safe words alone and quotes the rest', () => {
    expect(shellQuote('--textfile-dir=/var/lib/x')).toBe('--textfile-dir=/var/lib/x');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
    expect(shellCommand(['echo', 'a b', '$HOME'])).toBe("echo 'a b' '$HOME'");
  });
});

describe('sshfsCommand', () => {
  it('pins the host key and appends the profile options', () => {
    expect(sshfsCommand({ address: '172.19.0.2', exportPath: '/srv/storage' }, '/mnt/storage', ['reconnect'])).toEqual([
      'sshfs',
      '-o',
      'IdentityFile=/root/.ssh/id_ed25519,UserKnownHostsFile=/root/.ssh/known_hosts,StrictHostKeyChecking=yes,BatchMode=yes,allow_other,reconnect',
      'storage@172.19.0.2:/srv/storage',
      '/mnt/storage',
    ]);
  });
});

describe('newRunId', () => {
  it('starts with a sortable UTC timestamp', () => {
    expect(newRunId(new Date(Date.UTC(2026, 11, 4, 20, 15, 30)))).toMatch(/^20261204t201530-[0-9a-f]{4}$/);
  });
});

describe('netemMissing', () => {
  it('recognises missing netem', () => {
    expect(netemMissing('Error: Specified qdisc kind is unknown.')).toBe(true);
    expect(netemMissing('Unknown qdisc "netem", hence option "delay" is unparsable')).toBe(true);
  });

  it('rejects other tc failures', () => {
    expect(netemMissing('RTNETLINK answers: Operation not permitted')).toBe(false);
    expect(netemMissing('Cannot find device "eth9"')).toBe(false);
    expect(netemMissing('exit code 127')).toBe(false);
  });
});
