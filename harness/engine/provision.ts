import { openSync, existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { $ } from 'zx';
import type { Settings } from '../config/settings.js';
import { MountdrillError } from '../errors.js';
import type { Progress } from '../log.js';
import { pollUntil } from '../runner/poll.js';
import { docker, probeEngine, type EngineStatus } from './docker.js';
import { isDebianFamily, parseOsRelease } from './os-release.js';

/** Log file of the dockerd that provisioning starts. */
export const dockerdLogPath = '/var/log/mountdrill-dockerd.log';

const manualFix = 'install Docker (Debian: `apt-get install docker.io`) and start it with `dockerd --ip-masq=false`';

/**
 * Returns a reachable engine, installing and starting one first when allowed:
 * root on Debian or Ubuntu, and MOUNTDRILL_NO_PROVISION unset.
 */
export async function ensureEngine(settings: Settings, progress: Progress): Promise<EngineStatus> {
  const status = await probeEngine();
  if (status.reachable) {
    return status;
  }
  if (!settings.provision) {
    throw new MountdrillError('ENGINE_UNAVAILABLE', `Docker engine not reachable (${status.error}) and provisioning is off (MOUNTDRILL_NO_PROVISION=1)`, {
      hint: `${manualFix}, or unset MOUNTDRILL_NO_PROVISION to let mountdrill do it as root`,
    });
  }
  assertCanProvision(status);

  if (!(await commandExists('dockerd'))) {
    progress.info("Docker engine missing: installing Debian's docker.io (about 20 s)");
    await aptInstall(['docker.io']);
  }
  progress.info('Starting dockerd --ip-masq=false');
  startDockerd();

  const started = await pollUntil({ probe: () => probeEngine(docker()), until: (engine) => engine.reachable, timeoutMs: 60_000, intervalMs: 500 });
  if (!started.ok) {
    throw new MountdrillError('PROVISION_FAILED', `dockerd was started but its API was not reachable within 60 s (${started.lastValue?.error ?? String(started.lastError)})`, {
      hint: `read ${dockerdLogPath}`,
      evidence: { dockerdLogTail: tailOfFile(dockerdLogPath, 20) },
    });
  }
  progress.info(`Docker engine ${started.value.version} running`);
  return started.value;
}

function assertCanProvision(status: EngineStatus): void {
  if (process.getuid?.() !== 0) {
    throw new MountdrillError('ENGINE_UNAVAILABLE', `Docker engine not reachable (${status.error}) and mountdrill can only install one as root`, {
      hint: `${manualFix}, or run again as root`,
    });
  }
  const release = existsSync('/etc/os-release') ? parseOsRelease(readFileSync('/etc/os-release', 'utf8')) : undefined;
  if (!release || !isDebianFamily(release)) {
    throw new MountdrillError('ENGINE_UNAVAILABLE', `Docker engine not reachable (${status.error}) and this host is not Debian or Ubuntu (ID=${release?.id ?? 'unknown'})`, {
      hint: manualFix,
    });
  }
}

/**
 * Adds /usr/sbin and /sbin to PATH when missing: dockerd and debootstrap live there, and
 * a root shell started without a login profile may not have them.
 */
export function includeSystemBinaries(environment: NodeJS.ProcessEnv = process.env): void {
  const entries = (environment.PATH ?? '').split(':').filter(Boolean);
  for (const directory of ['/usr/sbin', '/sbin']) {
    if (!entries.includes(directory)) {
      entries.push(directory);
    }
  }
  environment.PATH = entries.join(':');
}

export async function commandExists(command: string): Promise<boolean> {
  includeSystemBinaries();
  const result = await $({ quiet: true, nothrow: true })`command -v ${command}`;
  return result.exitCode === 0;
}

/** Installs Debian packages, refreshing the package lists first. */
export async function aptInstall(packages: string[]): Promise<void> {
  const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await $({ quiet: true, env: environment })`apt-get update -qq`;
    await $({ quiet: true, env: environment })`apt-get install -y -qq --no-install-recommends ${packages}`;
  } catch (error) {
    throw new MountdrillError('PROVISION_FAILED', `apt-get install ${packages.join(' ')} failed`, {
      hint: 'check that Debian packages can be installed on this host (`apt-get update`)',
      evidence: { output: error instanceof Error ? error.message : String(error) },
      cause: error,
    });
  }
}

/**
 * Starts dockerd in the background, detached from this process so that it outlives the run.
 * `--ip-masq=false` leaves container traffic untranslated, so containers reach nothing outside
 * their own networks. Docker's iptables management stays on: with it off, a host where dockerd
 * once ran keeps a FORWARD policy of DROP that silently drops traffic between containers.
 */
function startDockerd(): void {
  const log = openSync(dockerdLogPath, 'a');
  const child = spawn('dockerd', ['--ip-masq=false'], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
}

function tailOfFile(file: string, lines: number): string {
  if (!existsSync(file)) {
    return '';
  }
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
