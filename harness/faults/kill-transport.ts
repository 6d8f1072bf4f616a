import { execChecked, execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import type { DrillContext } from '../runner/context.js';
import { remountStorage } from '../topology/remount.js';
import type { Fault } from './fault.js';
import { baseProbe, observeStorage, pollForSymptom, type StorageObservation } from './observe.js';
import { parsePsOutput, sshTransportsTo } from './sshfs-process.js';

interface VanishedObservation extends StorageObservation {
  /** Device of the base mountpoint and of its parent directory, from `stat -c %d`. */
  devices: { base: string; parent: string };
  /** Entries of the base mountpoint as listed. */
  entries: string[];
}

/**
 * SIGKILL of the ssh process that carries sshfs's SFTP session. sshfs notices the closed
 * transport, unmounts and exits, so the base mountpoint becomes a plain local directory:
 * anything written there lands on the client's own disk. Only a base mount unit without
 * restarts stays that way; one that restarts sshfs brings the base back (see base-restart).
 */
export const killTransport: Fault = {
  name: 'kill-transport',
  description: 'SIGKILL the ssh process that carries the base mount’s SFTP session',
  symptom: 'the base mount is gone from mountinfo and its mountpoint is a plain empty local directory',

  async inject(context) {
    const { client, server } = context.topology;
    const ps = await execChecked(client.id, ['ps', '-eo', 'pid=,args='], 'listing client processes');
    const transports = sshTransportsTo(parsePsOutput(ps.stdout), server.address);
    if (transports.length === 0) {
      throw new MountdrillError('FAULT_FAILED', `kill-transport found no ssh process with an SFTP session to ${server.address}`, {
        hint: 'the base mount must be up before the fault; check the steady-state step',
        evidence: { processes: ps.stdout },
      });
    }
    for (const transport of transports) {
      await execChecked(client.id, ['kill', '-KILL', String(transport.pid)], `sending SIGKILL to ssh (pid ${transport.pid})`);
    }
    return { killed: transports.map((transport) => ({ pid: transport.pid, args: transport.args, signal: 'SIGKILL' })) };
  },

  async confirm(context, deadlineMs) {
    const { baseMount } = context.profile.storage;
    return pollForSymptom(
      context,
      deadlineMs,
      () => observeVanished(context),
      (observation) =>
        observation.mounts[baseMount] === null &&
        baseProbe(context, observation)?.ok === true &&
        observation.devices.base === observation.devices.parent &&
        observation.entries.length === 0,
      (observation) => ({ baseDevice: observation.devices.base, parentDevice: observation.devices.parent, baseEntries: observation.entries }),
    );
  },

  async heal(context) {
    await remountStorage(context.topology);
  },
};

async function observeVanished(context: DrillContext): Promise<VanishedObservation> {
  const { baseMount } = context.profile.storage;
  const observation = await observeStorage(context);
  const script = 'stat -c %d "$1" "$(dirname "$1")" && ls -A "$1"';
  const result = await execInContainer(context.topology.client.id, ['/bin/sh', '-c', script, 'observe', baseMount], { timeoutMs: 5_000 });
  const [base = '', parent = '', ...entries] = result.stdout.split('\n').filter((line) => line !== '');
  return { ...observation, devices: { base, parent }, entries };
}
