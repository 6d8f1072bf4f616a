import type { StartedTestContainer } from 'testcontainers';
import { creations } from '../engine/creations.js';
import { execChecked, execInContainer, writeFilesInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { mountAt, parseMountInfo } from '../observers/mountinfo.js';
import { pollUntil } from '../runner/poll.js';
import { systemctl, unitFile, unitLogTail } from './service-manager.js';
import { shellCommand } from './shell-quote.js';
import { debugLog } from '../log.js';
import { FuseCapableContainer } from './fuse-container.js';
import { mountOrder, type BindEntry } from './manifest.js';
import type { DrillNetwork } from './network.js';
import { storageUser, type StorageServer } from './storage-server.js';

const log = debugLog('topology');

/** Private key of the client, generated inside the container per run; it never leaves it. */
export const clientKeyPath = '/root/.ssh/id_ed25519';
const knownHostsPath = '/root/.ssh/known_hosts';

export interface ClientHostOptions {
  image: string;
  name: string;
  network: DrillNetwork;
  labels: Record<string, string>;
}

export interface ClientHost {
  container: StartedTestContainer;
  id: string;
  name: string;
  address: string;
}

/** Starts the client host: FUSE-capable, not privileged, idle until the drill drives it. */
export async function startClientHost(options: ClientHostOptions): Promise<ClientHost> {
  const started = performance.now();
  log('starting client host %s', options.name);
  const builder = new FuseCapableContainer(options.image)
    .withName(options.name)
    .withHostname('client')
    // NET_ADMIN lets the partition and slow-link faults drop and shape the client's traffic.
    .withAddedCapabilities('NET_ADMIN')
    .withNetworkMode(options.network.name)
    .withLabels(options.labels)
    .withCommand(['sleep', 'infinity']);
  const container = await creations.track(`container ${options.name}`, () => builder.start());
  const id = container.getId();
  const address = container.getIpAddress(options.network.name);
  log('started client host %s (%s) at %s in %d ms', options.name, id.slice(0, 12), address, Math.round(performance.now() - started));
  return { container, id, name: options.name, address };
}

/** Generates the client's SSH key pair inside the container and returns the public key. */
export async function generateClientKey(client: ClientHost, comment: string): Promise<string> {
  await execChecked(client.id, ['install', '-d', '-m', '700', '/root/.ssh'], 'creating /root/.ssh');
  await execChecked(client.id, ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', clientKeyPath], 'generating the client key pair');
  const result = await execChecked(client.id, ['cat', `${clientKeyPath}.pub`], 'reading the client public key');
  return result.stdout.trim();
}

/** Pins the server's host key, so sshfs runs with StrictHostKeyChecking=yes. */
export async function trustHostKey(client: ClientHost, serverAddress: string, hostKey: string): Promise<void> {
  await writeFilesInContainer(client.id, [{ path: knownHostsPath, content: `${serverAddress} ${hostKey}\n`, mode: 0o600 }]);
}

/** Returns the sshfs command line that mounts the server's export at the base mount. */
export function sshfsCommand(server: Pick<StorageServer, 'address' | 'exportPath'>, baseMount: string, extraOptions: string[]): string[] {
  const options = [
    `IdentityFile=${clientKeyPath}`,
    `UserKnownHostsFile=${knownHostsPath}`,
    'StrictHostKeyChecking=yes',
    'BatchMode=yes',
    'allow_other',
    ...extraOptions,
  ];
  return ['sshfs', '-o', options.join(','), `${storageUser.name}@${server.address}:${server.exportPath}`, baseMount];
}

/**
 * Returns the unit file that runs sshfs in the foreground. By default it is restarted on failure
 * like a production mount unit. Without restarts it behaves like an fstab mount, which stays
 * gone once sshfs exits.
 */
export function baseMountUnit(command: string[], baseMount: string, restartOnFailure = true): string {
  const restart: Record<string, string> = restartOnFailure ? { Restart: 'on-failure', RestartSec: '1s' } : { Restart: 'no' };
  return unitFile({
    Unit: { Description: `sshfs base mount at ${baseMount}` },
    Service: { Type: 'simple', ExecStart: shellCommand([...command.slice(0, 1), '-f', ...command.slice(1)]), ...restart },
  });
}

/**
 * Mounts the export by starting the base mount's service, then waits until the mount shows up
 * in the client's mount table. A failed login or refused connection makes sshfs exit, so the
 * error carries the unit's log.
 */
export async function mountBase(client: ClientHost, unit: string, baseMount: string): Promise<void> {
  await execChecked(client.id, ['mkdir', '-p', baseMount], `creating the base mountpoint ${baseMount}`);
  await execChecked(client.id, ['systemctl', 'start', unit], `starting ${unit}`);
  const mounted = await pollUntil({
    probe: async () => mountAt(parseMountInfo((await execInContainer(client.id, ['cat', '/proc/self/mountinfo'], { timeoutMs: 5_000 })).stdout), baseMount),
    until: (entry) => entry?.fsType === 'fuse.sshfs',
    timeoutMs: 20_000,
    intervalMs: 100,
  });
  if (!mounted.ok) {
    throw new MountdrillError('TOPOLOGY_FAILED', `${unit} did not mount ${baseMount} within 20 s`, {
      hint: 'the unit log in the evidence shows what sshfs and ssh printed',
      evidence: { unitLog: await unitLogTail(client.id, unit), status: (await systemctl(client.id, 'status', unit)).stdout },
    });
  }
}

/** Bind-mounts each cold directory onto its hot path, parents before nested paths. */
export async function bindHotPaths(client: ClientHost, bindings: BindEntry[]): Promise<void> {
  for (const entry of mountOrder(bindings)) {
    await execChecked(client.id, ['mkdir', '-p', entry.hot], `creating the hot path ${entry.hot}`);
    await execChecked(client.id, ['mount', '--bind', entry.cold, entry.hot], `bind-mounting ${entry.cold} onto ${entry.hot}`);
  }
}
