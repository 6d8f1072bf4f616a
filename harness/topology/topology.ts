import type { SystemProfile } from '../config/system-profile.js';
import { MountdrillError } from '../errors.js';
import { labelsForRun } from '../labels.js';
import { debugLog } from '../log.js';
import { installUnits, startServiceManager } from './service-manager.js';
import { baseMountUnit, bindHotPaths, generateClientKey, mountBase, sshfsCommand, startClientHost, trustHostKey, type ClientHost } from './client-host.js';
import { relativeToBase } from './manifest.js';
import { createInternalNetwork, removeNetwork, type DrillNetwork } from './network.js';
import { generateSeed, type SeedFile } from './seed.js';
import { authorizeClientKey, readHostKey, seedExport, startStorageServer, type StorageServer } from './storage-server.js';

const log = debugLog('topology');

export interface TopologyOptions {
  runId: string;
  drillName: string;
  image: string;
  profile: SystemProfile;
}

/** The containers and network of one drill. Disposing removes all of them. */
export interface Topology extends AsyncDisposable {
  runId: string;
  drillName: string;
  network: DrillNetwork;
  server: StorageServer;
  client: ClientHost;
  profile: SystemProfile;
  /** Files seeded on the server before the mount, with their SHA-256 sums. */
  seed: SeedFile[];
}

/**
 * Starts the storage server and the client host on a new internal network, seeds the data
 * tree, mounts the export with sshfs and bind-mounts the hot paths. On failure everything
 * started so far is removed before the error is rethrown.
 */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const { runId, drillName, image, profile } = options;
  const labels = labelsForRun(runId, drillName);
  const prefix = `mountdrill-${runId}-${drillName}`;
  const disposers: Array<() => Promise<void>> = [];

  const disposeAll = async (): Promise<void> => {
    for (const dispose of disposers.reverse()) {
      try {
        await dispose();
      } catch (error) {
        log('cleanup step failed in %s: %O', prefix, error);
      }
    }
    disposers.length = 0;
  };

  try {
    const network = await createInternalNetwork(prefix, labels);
    disposers.push(() => removeNetwork(network));

    const server = await startStorageServer({ image, name: `${prefix}-storage`, network, labels, exportPath: profile.storage.remotePath });
    disposers.push(async () => {
      await server.container.stop({ remove: true, removeVolumes: true, timeout: 1_000 });
    });

    const client = await startClientHost({ image, name: `${prefix}-client`, network, labels });
    disposers.push(async () => {
      await client.container.stop({ remove: true, removeVolumes: true, timeout: 1_000 });
    });

    const seed = generateSeed({
      directories: profile.bindings.map((entry) => relativeToBase(entry.cold, profile.storage.baseMount)),
      salt: `${runId}/${drillName}`,
    });
    await seedExport(server, seed);

    const publicKey = await generateClientKey(client, `mountdrill-${runId}`);
    await authorizeClientKey(server, publicKey);
    await trustHostKey(client, server.address, await readHostKey(server));

    await startServiceManager(client.id);
    const command = sshfsCommand(server, profile.storage.baseMount, profile.storage.sshfsOptions);
    await installUnits(client.id, [{ name: profile.storage.baseMountUnit, content: baseMountUnit(command, profile.storage.baseMount, profile.storage.restartOnFailure) }]);
    await mountBase(client, profile.storage.baseMountUnit, profile.storage.baseMount);
    await bindHotPaths(client, profile.bindings);

    return {
      runId,
      drillName,
      network,
      server,
      client,
      profile,
      seed,
      [Symbol.asyncDispose]: disposeAll,
    };
  } catch (error) {
    await disposeAll();
    if (error instanceof MountdrillError) {
      throw error;
    }
    throw new MountdrillError('TOPOLOGY_FAILED', `starting the topology of drill ${drillName} failed: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'run `mountdrill doctor` to check the engine, FUSE and the base image; DEBUG=mountdrill:*,testcontainers* shows each step',
      cause: error,
    });
  }
}
