import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../config/paths.js';
import { execDetached, execInContainer, writeFilesInContainer, type ExecResult } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { readJsonLines } from '../observers/json-lines.js';
import { pollUntil } from '../runner/poll.js';

/** Paths of the client's service manager, shared by the harness and the systemctl it installs. */
export const serviceManager = {
  program: '/usr/local/lib/mountdrill/servicemanager.py',
  socket: '/run/mountdrill-svc.sock',
  unitDirectory: '/etc/mountdrill/units',
  events: '/var/log/mountdrill/service-events.jsonl',
  logDirectory: '/var/log/mountdrill/units',
};

/** One line of the service manager's events file. */
export interface ServiceEvent {
  /** Unix time in seconds. */
  time: number;
  unit: string;
  event: 'start' | 'stop' | 'stopped' | 'restart' | 'exited' | 'restart-scheduled' | 'failed';
  pid?: number;
  by?: string;
  result?: string;
}

/** A systemd-style unit file to install in the client. */
export interface UnitFile {
  name: string;
  content: string;
}

/**
 * Installs the service manager and a `systemctl` that talks to it, then starts the manager.
 * Ops scripts that call `systemctl` run unchanged in the client, which has no systemd.
 */
export async function startServiceManager(containerId: string): Promise<void> {
  const source = readFileSync(path.join(packageRoot(), 'harness', 'topology', 'client-services', 'servicemanager.py'));
  await writeFilesInContainer(containerId, [
    { path: serviceManager.program, content: source, mode: 0o755 },
    { path: '/usr/local/bin/systemctl', content: `#!/bin/sh\nexec python3 ${serviceManager.program} systemctl "$@"\n`, mode: 0o755 },
  ]);
  await execInContainer(containerId, ['mkdir', '-p', serviceManager.unitDirectory, path.posix.dirname(serviceManager.events)]);
  await execDetached(containerId, ['/bin/sh', '-c', `exec python3 ${serviceManager.program} daemon >>/var/log/mountdrill/servicemanager.log 2>&1`]);

  const ready = await pollUntil({
    probe: () => execInContainer(containerId, ['test', '-S', serviceManager.socket], { timeoutMs: 5_000 }),
    until: (result) => result.exitCode === 0,
    timeoutMs: 10_000,
    intervalMs: 100,
  });
  if (!ready.ok) {
    const log = await execInContainer(containerId, ['tail', '-n', '20', '/var/log/mountdrill/servicemanager.log']);
    throw new MountdrillError('TOPOLOGY_FAILED', `the client's service manager did not open ${serviceManager.socket} within 10 s`, {
      evidence: { log: log.stdout },
    });
  }
}

export async function installUnits(containerId: string, units: UnitFile[]): Promise<void> {
  await writeFilesInContainer(
    containerId,
    units.map((unit) => ({ path: path.posix.join(serviceManager.unitDirectory, unit.name), content: unit.content })),
  );
}

/** Runs `systemctl` in the client and returns its result without judging it. */
export function systemctl(containerId: string, ...args: string[]): Promise<ExecResult> {
  return execInContainer(containerId, ['systemctl', ...args], { timeoutMs: 30_000 });
}

/** Reads the service manager's events, oldest first. */
export function readServiceEvents(containerId: string): Promise<ServiceEvent[]> {
  return readJsonLines<ServiceEvent>(containerId, serviceManager.events);
}

/** Returns the last lines a unit's processes wrote. */
export async function unitLogTail(containerId: string, unit: string, lines = 20): Promise<string[]> {
  const result = await execInContainer(containerId, ['tail', '-n', String(lines), path.posix.join(serviceManager.logDirectory, `${unit}.log`)], { timeoutMs: 5_000 });
  return result.stdout.split('\n').filter(Boolean);
}

/** Writes a systemd unit file from its sections. */
export function unitFile(sections: Record<string, Record<string, string | number>>): string {
  return Object.entries(sections)
    .map(([section, keys]) => `[${section}]\n${Object.entries(keys).map(([key, value]) => `${key}=${value}`).join('\n')}\n`)
    .join('\n');
}
