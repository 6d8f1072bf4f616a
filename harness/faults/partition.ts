import { execChecked, execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import type { DrillContext } from '../runner/context.js';
import { remountStorage } from '../topology/remount.js';
import type { Fault, SymptomCheck } from './fault.js';
import { hotProbes, observeStorage, pollForSymptom, sessionProcesses, type StorageObservation } from './observe.js';

const ruleComment = 'mountdrill-partition';

/** Returns the iptables rule that drops, in the client or the server, every packet from the other side. */
function dropRule(source: string): string[] {
  return ['INPUT', '-s', source, '-m', 'comment', '--comment', ruleComment, '-j', 'DROP'];
}

function sides(context: DrillContext): Array<{ containerId: string; peer: string; name: string }> {
  const { client, server } = context.topology;
  return [
    { containerId: server.id, peer: client.address, name: 'storage server' },
    { containerId: client.id, peer: server.address, name: 'client' },
  ];
}

/** Removes the partition's rules from both containers, skipping rules that are already gone. */
async function removePartition(context: DrillContext): Promise<void> {
  for (const side of sides(context)) {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const check = await execInContainer(side.containerId, ['iptables', '-C', ...dropRule(side.peer)], { timeoutMs: 10_000 });
      if (check.exitCode !== 0) {
        break;
      }
      await execChecked(side.containerId, ['iptables', '-D', ...dropRule(side.peer)], `removing the partition rule in the ${side.name}`);
    }
  }
}

function hasKeepalive(options: string[]): boolean {
  return options.some((option) => /^ServerAliveInterval=\d+$/.test(option));
}

function allHung(context: DrillContext, observation: StorageObservation): boolean {
  return hotProbes(context, observation).every((probe) => probe.hung);
}

/**
 * Silently drops every packet between client and server: each side drops what arrives from
 * the other (INPUT rules), so no side ever gets a reset or an error on sending. Accesses to the
 * mount hang. Without ssh keepalives they hang until the partition ends; with them ssh gives up
 * after ServerAliveInterval × ServerAliveCountMax and sshfs fails the mount.
 */
function partitionFault(keepalive: boolean): Fault {
  const name = keepalive ? 'partition-keepalive' : 'partition';
  return {
    name,
    description: keepalive
      ? 'drop every packet between client and server, on a mount with ssh keepalives (ServerAliveInterval)'
      : 'drop every packet between client and server, on a mount without ssh keepalives',
    symptom: keepalive
      ? 'a hot path hangs (others may answer from the attribute cache first), then the keepalive gives up and the sshfs process of the mount exits'
      : 'every hot path hangs: stat and list do not answer within the probe timeout',

    async inject(context) {
      const options = context.profile.storage.sshfsOptions;
      if (keepalive !== hasKeepalive(options)) {
        throw new MountdrillError('CONFIG_INVALID', `fault ${name} expects a mount ${keepalive ? 'with' : 'without'} ServerAliveInterval, but the sshfs options are ${JSON.stringify(options)}`, {
          hint: keepalive ? 'set mount.sshfsOptions to include ServerAliveInterval=N in the drill' : 'use the partition-keepalive fault for a mount with keepalives',
        });
      }
      const before = (await sessionProcesses(context)).sshfs;
      context.journal.observe(name, { sshfsBefore: before });
      const applied: string[] = [];
      for (const side of sides(context)) {
        await execChecked(side.containerId, ['iptables', '-I', ...dropRule(side.peer)], `adding the partition rule in the ${side.name}`);
        applied.push(`${side.name}: iptables -I ${dropRule(side.peer).join(' ')}`);
      }
      return { rules: applied, sshfsBefore: before };
    },

    async confirm(context, deadlineMs): Promise<SymptomCheck> {
      if (!keepalive) {
        return pollForSymptom(context, deadlineMs, () => observeStorage(context), (observation) => allHung(context, observation));
      }
      const { sshfsBefore } = context.journal.observations[name] as { sshfsBefore: number[] };
      let sawHang = false;
      let running: number[] = [];
      let observation: StorageObservation | undefined;
      return pollForSymptom(
        context,
        deadlineMs,
        async () => {
          // NOTE: once the hang is seen, only processes are watched. Probes send new requests
          // through ssh, and with the harness probing all paths every 2 s ssh's keepalive once
          // did not fire within 40 s (one bare-topology run of several). Why is not settled.
          if (!sawHang || !observation) {
            observation = await observeStorage(context);
          }
          running = (await sessionProcesses(context)).sshfs;
          return observation;
        },
        (latest) => {
          // ssh gives up within seconds, so the first probes may be served from the attribute
          // cache or run after the exit. One hung hot path before the exit shows the hang.
          sawHang ||= hotProbes(context, latest).some((probe) => probe.hung);
          return sawHang && sshfsBefore.every((pid) => !running.includes(pid));
        },
        // Requests already queued on the dead connection may keep hanging instead of failing
        // with ENOTCONN; the probes in the evidence show which happened.
        () => ({ hangObservedFirst: sawHang, sshfsBefore, sshfsNow: running }),
      );
    },

    async restoreEnvironment(context) {
      await removePartition(context);
    },

    async heal(context) {
      await removePartition(context);
      await remountStorage(context.topology);
    },
  };
}

export const partition = partitionFault(false);
export const partitionKeepalive = partitionFault(true);
