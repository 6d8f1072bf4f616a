import { docker } from '../engine/docker.js';
import { MountdrillError } from '../errors.js';
import type { DrillContext } from '../runner/context.js';
import { remountStorage } from '../topology/remount.js';
import { ENOTCONN } from '../observers/errno.js';
import type { Fault } from './fault.js';
import { hotProbes, observeStorage, pollForSymptom, readMounts, sessionProcesses, type SessionProcesses, type StorageObservation } from './observe.js';

async function unpauseServer(context: DrillContext): Promise<void> {
  const container = docker().getContainer(context.topology.server.id);
  const state = (await container.inspect()).State;
  if (state.Paused) {
    await container.unpause();
  }
}

/**
 * Freezes every process of the storage server (`docker pause`). Its kernel still acknowledges
 * TCP, so the client sees no error at all: sshd stops responding and accesses hang.
 */
export const serverPause: Fault = {
  name: 'server-pause',
  description: 'freeze the storage server container (docker pause)',
  symptom: 'every hot path hangs: stat and list do not answer within the probe timeout',

  async inject(context) {
    await docker().getContainer(context.topology.server.id).pause();
    return { paused: context.topology.server.name };
  },

  async confirm(context, deadlineMs) {
    return pollForSymptom(context, deadlineMs, () => observeStorage(context), (observation) => hotProbes(context, observation).every((probe) => probe.hung));
  },

  async restoreEnvironment(context) {
    await unpauseServer(context);
  },

  async heal(context) {
    await unpauseServer(context);
    await remountStorage(context.topology);
  },
};

interface RestartRecord extends SessionProcesses {
  deviceBefore: string;
}

/**
 * Stops and starts the storage server container, which closes every SSH session. Without
 * `-o reconnect`, sshfs exits and the mount's FUSE connection dies with it. With it, the same
 * sshfs process opens a new session and the mount carries on.
 */
function serverRestartFault(reconnect: boolean): Fault {
  const name = reconnect ? 'server-restart-reconnect' : 'server-restart';
  return {
    name,
    description: reconnect ? 'stop and start the storage server, on a mount with -o reconnect' : 'stop and start the storage server, on a mount without -o reconnect',
    symptom: reconnect
      ? 'the same sshfs process opens a new SSH session and every hot path is readable again on its original device'
      : 'the base mount fails: its sshfs process exits with the SSH session, and every hot path fails with ENOTCONN',

    async inject(context) {
      const options = context.profile.storage.sshfsOptions;
      if (reconnect !== options.includes('reconnect')) {
        throw new MountdrillError('CONFIG_INVALID', `fault ${name} expects a mount ${reconnect ? 'with' : 'without'} -o reconnect, but the sshfs options are ${JSON.stringify(options)}`, {
          hint: reconnect ? 'set mount.sshfsOptions to include reconnect in the drill' : 'use the server-restart-reconnect fault for a mount with -o reconnect',
        });
      }
      const { server } = context.topology;
      const { baseMount } = context.profile.storage;
      const before: RestartRecord = { ...(await sessionProcesses(context)), deviceBefore: (await readMounts(context.topology.client.id, [baseMount]))[baseMount]?.device ?? 'not mounted' };
      context.journal.observe(name, before);
      const container = docker().getContainer(server.id);
      const addressBefore = server.address;
      await container.restart({ t: 1 });
      const networks = (await container.inspect()).NetworkSettings.Networks;
      const addressAfter = networks[context.topology.network.name]?.IPAddress;
      if (addressAfter !== addressBefore) {
        throw new MountdrillError('FAULT_FAILED', `the storage server came back at ${addressAfter ?? 'no address'} instead of ${addressBefore}`, {
          hint: 'the engine reassigned the address on restart; the mount cannot reconnect to a moved server',
        });
      }
      return { restarted: server.name, address: addressAfter, sessionBefore: before };
    },

    async confirm(context, deadlineMs) {
      const before = context.journal.observations[name] as RestartRecord;
      let session: SessionProcesses | undefined;
      // Without reconnect the base mount fails with its sshfs process. A unit that restarts on
      // failure may already have mounted it again, so the check is the exit, not the mount table.
      const baseFailed = (observation: StorageObservation, now: SessionProcesses): boolean =>
        before.sshfs.length === 1 && !now.sshfs.includes(before.sshfs[0]!) && hotProbes(context, observation).every((probe) => probe.errno === ENOTCONN);
      const reconnected = (observation: StorageObservation, now: SessionProcesses): boolean =>
        now.sshfs.length === 1 &&
        now.sshfs[0] === before.sshfs[0] &&
        now.transports.length > 0 &&
        now.transports.every((pid) => !before.transports.includes(pid)) &&
        hotProbes(context, observation).every((probe) => probe.ok) &&
        context.hotPaths.every((hot) => observation.mounts[hot]?.device === before.deviceBefore);
      return pollForSymptom(
        context,
        deadlineMs,
        async () => {
          const observation = await observeStorage(context);
          session = await sessionProcesses(context);
          return observation;
        },
        (observation) => session !== undefined && (reconnect ? reconnected : baseFailed)(observation, session),
        () => ({ sessionBefore: before, sessionAfter: session }),
      );
    },

    async heal(context) {
      const container = docker().getContainer(context.topology.server.id);
      if (!(await container.inspect()).State.Running) {
        await container.start();
      }
      await remountStorage(context.topology);
    },
  };
}

export const serverRestart = serverRestartFault(false);
export const serverRestartReconnect = serverRestartFault(true);
