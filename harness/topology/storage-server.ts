import { Wait, type StartedTestContainer } from 'testcontainers';
import { creations } from '../engine/creations.js';
import { execChecked, writeFilesInContainer } from '../engine/exec.js';
import { debugLog } from '../log.js';
import { InitContainer } from './fuse-container.js';
import type { DrillNetwork } from './network.js';
import type { SeedFile } from './seed.js';
import { shellQuote } from './shell-quote.js';

const log = debugLog('topology');

/** Account that owns the exported data and that sshfs logs in as. */
export const storageUser = { name: 'storage', uid: 2000, gid: 2000 };

/**
 * Key-only sshd. Debian's sshd_config includes sshd_config.d/*.conf before its own
 * settings, and sshd keeps the first value it reads, so these override the defaults.
 */
const sshdConfig = [
  'PasswordAuthentication no',
  'KbdInteractiveAuthentication no',
  'PubkeyAuthentication yes',
  'PermitRootLogin no',
  `AllowUsers ${storageUser.name}`,
  'UseDNS no',
  '',
].join('\n');

export interface StorageServerOptions {
  image: string;
  name: string;
  network: DrillNetwork;
  labels: Record<string, string>;
  exportPath: string;
}

export interface StorageServer {
  container: StartedTestContainer;
  id: string;
  name: string;
  address: string;
  exportPath: string;
}

/** Starts the sshd/sftp server on the drill network and waits until it listens. */
export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const script = [
    'set -e',
    // Guarded, so the same script works again when the server-restart fault restarts the container.
    `getent group ${storageUser.name} >/dev/null || groupadd --gid ${storageUser.gid} ${storageUser.name}`,
    `id -u ${storageUser.name} >/dev/null 2>&1 || useradd --uid ${storageUser.uid} --gid ${storageUser.gid} --create-home --shell /bin/sh ${storageUser.name}`,
    `install -d -m 700 -o ${storageUser.name} -g ${storageUser.name} /home/${storageUser.name}/.ssh`,
    `install -d -m 755 -o ${storageUser.name} -g ${storageUser.name} ${shellQuote(options.exportPath)}`,
    'ssh-keygen -A',
    'exec /usr/sbin/sshd -D -e',
  ].join('\n');

  const started = performance.now();
  log('starting storage server %s', options.name);
  const builder = new InitContainer(options.image)
    .withName(options.name)
    // NET_ADMIN lets the partition fault drop the client's packets with iptables inside this container.
    .withAddedCapabilities('NET_ADMIN')
    .withHostname('storage')
    .withNetworkMode(options.network.name)
    .withLabels(options.labels)
    .withCopyContentToContainer([{ content: sshdConfig, target: '/etc/ssh/sshd_config.d/mountdrill.conf' }])
    .withCommand(['/bin/sh', '-c', script])
    .withWaitStrategy(Wait.forLogMessage(/Server listening on/))
    .withStartupTimeout(30_000);
  const container = await creations.track(`container ${options.name}`, () => builder.start());
  const id = container.getId();
  const address = container.getIpAddress(options.network.name);
  log('started storage server %s (%s) at %s in %d ms', options.name, id.slice(0, 12), address, Math.round(performance.now() - started));
  return { container, id, name: options.name, address, exportPath: options.exportPath };
}

/** Writes the seeded data tree into the export, owned by the storage account. */
export async function seedExport(server: StorageServer, files: SeedFile[]): Promise<void> {
  await writeFilesInContainer(
    server.id,
    files.map((file) => ({
      path: `${server.exportPath}/${file.relativePath}`,
      content: file.content,
      mode: 0o644,
      uid: storageUser.uid,
      gid: storageUser.gid,
    })),
  );
  await execChecked(server.id, ['chown', '-R', `${storageUser.name}:${storageUser.name}`, server.exportPath], 'taking ownership of the seeded data');
}

export async function authorizeClientKey(server: StorageServer, publicKey: string): Promise<void> {
  await writeFilesInContainer(server.id, [
    {
      path: `/home/${storageUser.name}/.ssh/authorized_keys`,
      content: `${publicKey.trim()}\n`,
      mode: 0o600,
      uid: storageUser.uid,
      gid: storageUser.gid,
    },
  ]);
}

/** Returns the server's ed25519 host key line (`ssh-ed25519 AAAA…`), for the client's known_hosts. */
export async function readHostKey(server: StorageServer): Promise<string> {
  const result = await execChecked(server.id, ['cat', '/etc/ssh/ssh_host_ed25519_key.pub'], 'reading the storage server host key');
  const [type, key] = result.stdout.trim().split(/\s+/);
  return `${type} ${key}`;
}
