import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { builtinDrills } from '../../drills/index.js';
import { faultCatalog } from '../../harness/faults/catalog.js';
import { pollUntil } from '../../harness/runner/poll.js';
import { hostHasNetem, leftoversOfRun, referenceSystemDirectory, repositoryRoot, requireContainers } from './support.js';

const bin = path.join(repositoryRoot, 'bin', 'mountdrill.js');

function mountdrill(args: string[], environment: Record<string, string> = {}) {
  return execa(process.execPath, [bin, ...args], { reject: false, env: environment, cwd: repositoryRoot });
}

describe('mountdrill CLI', () => {
  it('lists drills and faults', async () => {
    const result = await mountdrill(['run', '--list']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Drills:\n {2}stale-hot-path /);
    expect(result.stdout).toContain('\n  alert-pipeline ');
    expect(result.stdout).toContain('\n  watchdog-guards ');
    expect(result.stdout).toContain('kill-sshfs');
    expect(result.stdout).toContain('drill-signal');
    const [drills, faults] = result.stdout.split('\nFaults:\n');
    for (const drill of builtinDrills) {
      expect(drills).toMatch(new RegExp(`\\n {2}${drill.name} +\\S`));
    }
    for (const fault of faultCatalog.values()) {
      expect(faults).toMatch(new RegExp(`(^|\\n) {2}${fault.name} +\\S`));
      expect(faults).toContain(`symptom: ${fault.symptom}`);
    }
    // Every fault of the catalog has a drill, and every drill names a fault of the catalog.
    expect(new Set(builtinDrills.map((drill) => drill.fault))).toEqual(new Set(faultCatalog.keys()));
  });

  it('keeps going when stdout is closed', async () => {
    const child = mountdrill(['run', '--list']);
    child.stdout!.destroy();
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('# warning: stdout was closed, so its output is dropped; a run goes on and still writes its TAP to the reports');
  });

  it('exits 2 on an unknown drill', async () => {
    const reports = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-cli-'));
    await writeFile(path.join(reports, 'junit.xml'), '<testsuites tests="1" failures="0"/>');
    const result = await mountdrill(['run', 'no-such-drill', '--system', referenceSystemDirectory], { MOUNTDRILL_REPORTS_DIR: reports });
    expect(result.exitCode).toBe(2);
    expect(await readdir(reports)).toEqual([]);
    expect(result.stderr).toContain('unknown drill "no-such-drill"');
    expect(result.stderr).toContain('fix: use one of: stale-hot-path');
  });

  it('exits 2 without a system', async () => {
    const result = await mountdrill(['run'], { MOUNTDRILL_SYSTEM: '' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no system under test given');
  });

  it('exits 2 on an invalid profile', async () => {
    const result = await mountdrill(['run', '--system', '/nonexistent']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('system profile not found: /nonexistent/system.yaml');
  });

  it('exits 2 on an unknown option', async () => {
    const result = await mountdrill(['run', '--frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown option '--frobnicate'");
  });

  it('exits 3 without engine or provisioning', async () => {
    const reports = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-cli-'));
    const result = await mountdrill(['run', '--system', referenceSystemDirectory], {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      MOUNTDRILL_NO_PROVISION: '1',
      MOUNTDRILL_REPORTS_DIR: reports,
    });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('Docker engine not reachable');
    expect(result.stderr).toContain('fix: install Docker (Debian: `apt-get install docker.io`) and start it with `dockerd --ip-masq=false`');
    expect(result.stdout).toMatch(/^TAP version 13\nBail out! Docker engine not reachable/);
  });

  it('clean exits 3 without engine', async () => {
    const result = await mountdrill(['clean'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).not.toContain('removed 0');
    expect(result.stdout).toContain('error: listing containers failed: ');
    expect(result.stdout).toContain('fix: `npx mountdrill doctor` checks that the Docker engine is reachable');
  });

  it('doctor reports engine, image and FUSE', async () => {
    requireContainers();
    const result = await mountdrill(['doctor']);
    expect(result.stdout).toMatch(/^ok {3}Docker engine: reachable, version /m);
    expect(result.stdout).toMatch(/^ok {3}base image: mountdrill\/base:[0-9a-f]{12} present/m);
    expect(result.stdout).toMatch(/^ok {3}FUSE in a container: /m);
    expect(result.exitCode).toBe(0);
  });

  it('clean reports an unknown run id', async () => {
    requireContainers();
    const result = await mountdrill(['clean', '--run', 'no-such-run']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('removed 0 container(s), 0 network(s), 0 volume(s)\nno container, network or volume has the label of run no-such-run;');
  });

  it('run writes reports and exits 0', async () => {
    requireContainers();
    const reports = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-cli-'));
    const result = await mountdrill(['run', 'stale-hot-path', 'alert-pipeline', '--system', referenceSystemDirectory, '--quiet'], { MOUNTDRILL_REPORTS_DIR: reports });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^TAP version 13\n/);
    const report = JSON.parse(await readFile(path.join(reports, 'report.json'), 'utf8')) as { verdict: string; drills: Array<{ name: string; steps: unknown[] }> };
    const points = report.drills.reduce((total, drill) => total + drill.steps.length, 0);
    expect(report.verdict).toBe('ready');
    expect(report.drills.map((drill) => drill.name)).toEqual(['stale-hot-path', 'alert-pipeline']);
    expect(result.stdout.trimEnd().endsWith(`\n1..${points}`)).toBe(true);
    expect(await readFile(path.join(reports, 'junit.xml'), 'utf8')).toContain(`<testsuite name="mountdrill" tests="${points}" skipped="0" failures="0">`);
  });

  it('removes the run on SIGINT and exits 130', async () => {
    requireContainers();
    const reports = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-cli-'));
    const child = execa(process.execPath, [bin, 'run', '--system', referenceSystemDirectory], {
      reject: false,
      cwd: repositoryRoot,
      env: { MOUNTDRILL_REPORTS_DIR: reports },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const started = await pollUntil({ probe: async () => /mountdrill run (\S+):/.exec(stderr)?.[1], until: (runId) => runId !== undefined, timeoutMs: 60_000, intervalMs: 100 });
    const runId = started.ok ? started.value! : '';
    expect(runId).not.toBe('');
    const topologyUp = await pollUntil({ probe: () => leftoversOfRun(runId), until: (leftovers) => leftovers.containers.length === 2, timeoutMs: 60_000, intervalMs: 100 });
    expect(topologyUp.ok).toBe(true);

    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(stderr).toContain(`interrupted by SIGINT: removed`);
    expect(await leftoversOfRun(runId)).toEqual({ containers: [], networks: [] });
  });

  it('SIGINT heals the injected fault first', async () => {
    requireContainers();
    const reports = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-cli-'));
    const child = execa(process.execPath, [bin, 'run', 'server-pause', '--system', referenceSystemDirectory], {
      reject: false,
      cwd: repositoryRoot,
      env: { MOUNTDRILL_REPORTS_DIR: reports },
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const injected = await pollUntil({ probe: async () => stdout, until: (text) => /^ok \d+ - server-pause: fault server-pause injected$/m.test(text), timeoutMs: 180_000, intervalMs: 100 });
    expect(injected.ok, stdout).toBe(true);
    const runId = /mountdrill run (\S+):/.exec(stderr)?.[1] ?? '';

    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, stderr).toBe(130);
    expect(stderr).toContain('interrupted by SIGINT: healing fault server-pause');
    expect(stderr).toMatch(/^# healed fault server-pause in \d+ ms$/m);
    expect(stderr.indexOf('# healed fault')).toBeLessThan(stderr.indexOf('removed'));
    expect(await leftoversOfRun(runId)).toEqual({ containers: [], networks: [] });

    // The reports keep the points that ran and end with a failed point, so CI reports the interrupt.
    const tap = await readFile(path.join(reports, 'drill.tap'), 'utf8');
    expect(tap).toMatch(/^ok \d+ - server-pause: fault server-pause injected$/m);
    expect(tap).toMatch(/\nnot ok \d+ - run interrupted by SIGINT during drill server-pause\n(?:.*\n)*Bail out! interrupted by SIGINT\n$/);
    const junit = await readFile(path.join(reports, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="mountdrill" tests="\d+" skipped="\d+" failures="1">/);
    expect(junit).toContain('<testcase name="run interrupted by SIGINT during drill server-pause"');
    await expect(stat(path.join(reports, 'report.json'))).rejects.toThrow(/ENOENT/);
  });
});
