import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertNameFor, loadSystemProfile, receiverNameFor } from '../../harness/config/system-profile.js';
import { profileForDrill } from '../../harness/runner/drill.js';

const referenceDirectory = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'reference-system');

const validProfile = `
name: demo
storage: { remotePath: /srv/storage, baseMount: /mnt/storage }
manifest: { source: hot.manifest, installPath: /etc/hot.manifest }
detector:
  command: [python3, /opt/probe.py]
  intervalSeconds: 2
  textfileDirectory: /var/lib/textfile
  metrics:
    errno: { name: storage_path_errno, pathLabel: path }
    lastRun: storage_probe_last_run_timestamp_seconds
`;

async function profileDirectory(profile: string, manifest = '/mnt/storage/jobs/a /srv/hot/a\n'): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-profile-'));
  await writeFile(path.join(directory, 'system.yaml'), profile);
  await writeFile(path.join(directory, 'hot.manifest'), manifest);
  return directory;
}

describe('loadSystemProfile', () => {
  it('loads the reference system', () => {
    const profile = loadSystemProfile(referenceDirectory);
    expect(profile.name).toBe('reference-system');
    expect(profile.bindings.map((entry) => entry.hot)).toEqual(['/srv/hot/crawl', '/srv/hot/index', '/srv/hot/crawl/imports']);
    expect(profile.files[0]!.mode).toBe(0o755);
    expect(profile.directory).toBe(referenceDirectory);
  });

  it('applies defaults', async () => {
    const profile = loadSystemProfile(await profileDirectory(validProfile));
    expect(profile.storage.sshfsOptions).toEqual([]);
    expect(profile.storage.restartOnFailure).toBe(true);
    expect(profile.detector.metrics.timeout).toBeUndefined();
    expect(profile.files).toEqual([]);
    const recovery = '\nrecovery: { dryRun: [/bin/true], actionLog: /var/log/actions.jsonl }\n';
    expect(loadSystemProfile(await profileDirectory(validProfile + recovery)).recovery?.deadlineSeconds).toBe(90);
  });

  it('applies a drill’s mount settings on top of the profile', async () => {
    const profile = loadSystemProfile(await profileDirectory(validProfile.replace('baseMount: /mnt/storage }', 'baseMount: /mnt/storage, sshfsOptions: [cache=no] }')));
    const drilled = profileForDrill(profile, { mount: { sshfsOptions: ['reconnect'], restartOnFailure: false } });
    expect(drilled.storage).toMatchObject({ sshfsOptions: ['cache=no', 'reconnect'], restartOnFailure: false });
    expect(profile.storage).toMatchObject({ sshfsOptions: ['cache=no'], restartOnFailure: true });
    expect(profileForDrill(profile, {})).toBe(profile);
  });

  it('reports a missing directory', () => {
    expect(() => loadSystemProfile('/nonexistent/system')).toThrow(/system profile not found: \/nonexistent\/system\/system.yaml/);
  });

  it('names the key that breaks a rule', async () => {
    const directory = await profileDirectory(validProfile.replace('intervalSeconds: 2', 'intervalSeconds: -1'));
    expect(() => loadSystemProfile(directory)).toThrow(/key detector.intervalSeconds: Too small/);
  });

  it('rejects unknown keys', async () => {
    const directory = await profileDirectory(`${validProfile}\nextra: 1\n`);
    expect(() => loadSystemProfile(directory)).toThrow(/Unrecognized key: "extra"/);
  });

  it('rejects relative mount paths', async () => {
    const directory = await profileDirectory(validProfile.replace('baseMount: /mnt/storage', 'baseMount: mnt/storage'));
    expect(() => loadSystemProfile(directory)).toThrow(/key storage.baseMount: must be an absolute path/);
  });

  it('reports invalid YAML with the file', async () => {
    const directory = await profileDirectory('name: [unclosed');
    expect(() => loadSystemProfile(directory)).toThrow(/invalid YAML in .*system.yaml/);
  });

  it('reports a missing file to install with its key', async () => {
    const directory = await profileDirectory(`${validProfile}files:\n  - { source: missing.py, target: /opt/missing.py }\n`);
    expect(() => loadSystemProfile(directory)).toThrow(/file not found: .*missing.py \(key files.0.source of/);
  });

  it('rejects a manifest without hot paths', async () => {
    const directory = await profileDirectory(validProfile, '# empty\n');
    expect(() => loadSystemProfile(directory)).toThrow(/lists no hot paths/);
  });

  it('rejects cold paths outside the base mount', async () => {
    const directory = await profileDirectory(validProfile, '/data/a /srv/hot/a\n');
    expect(() => loadSystemProfile(directory)).toThrow(/cold path \/data\/a is outside the base mount \/mnt\/storage/);
  });

  it('reports a missing rule file with its key', async () => {
    const directory = await profileDirectory(`${validProfile}alerting:\n  ruleFiles: [missing.rules.yml]\n  alertmanagerConfig: hot.manifest\n`);
    expect(() => loadSystemProfile(directory)).toThrow(/file not found: .*missing.rules.yml \(key alerting.ruleFiles.0 of/);
  });

  it('names the missing alert role', async () => {
    const directory = await profileDirectory(`${validProfile}alerting:\n  ruleFiles: [hot.manifest]\n  alertmanagerConfig: hot.manifest\n  alerts: { drillSignal: X }\n`);
    const profile = loadSystemProfile(directory);
    expect(alertNameFor(profile, 'drillSignal')).toBe('X');
    expect(profile.alerting?.timeScale).toBe(1);
    expect(() => alertNameFor(profile, 'hotPathUnreadable')).toThrow(/names no alert for role hotPathUnreadable \(key alerting.alerts.hotPathUnreadable\)/);
    expect(() => receiverNameFor(profile, 'critical')).toThrow(/key alerting.receivers.critical/);
  });

  it('accepts a sub-directory profile', async () => {
    const directory = await profileDirectory(`${validProfile}files:\n  - { source: bin/probe.py, target: /opt/probe.py, mode: 0o700 }\n`);
    await mkdir(path.join(directory, 'bin'));
    await writeFile(path.join(directory, 'bin', 'probe.py'), 'print(1)\n');
    expect(loadSystemProfile(directory).files[0]).toEqual({ source: 'bin/probe.py', target: '/opt/probe.py', mode: 0o700 });
  });
});
