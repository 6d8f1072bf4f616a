import { execChecked } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { ENOTCONN } from '../observers/errno.js';
import { describeProbe } from '../observers/path-probe.js';
import { snapshotMounts, type MountSnapshot } from '../observers/stale-symptom.js';
import type { DrillContext } from '../runner/context.js';
import { pollUntil } from '../runner/poll.js';
import { remountStorage } from '../topology/remount.js';
import type { Fault, SymptomCheck } from './fault.js';
import { describeMounts, outerHotPaths } from './observe.js';
import { parsePsOutput, sshfsProcessesFor } from './sshfs-process.js';

/**
 * SIGKILL of the sshfs process of the base mount. The kernel keeps the mount, with no daemon
 * behind it: every access to it and to every bind mount taken from it fails with ENOTCONN.
 */
export const killSshfs: Fault = {
  name: 'kill-sshfs',
  description: 'SIGKILL the sshfs process that serves the base mount',
  symptom: 'every hot path fails with ENOTCONN, the base mount stays in mountinfo, and ls -l shows each hot path as d?????????',

  async inject(context) {
    const { client } = context.topology;
    const baseMount = context.profile.storage.baseMount;
    const ps = await execChecked(client.id, ['ps', '-eo', 'pid=,args='], 'listing client processes');
    const processes = sshfsProcessesFor(parsePsOutput(ps.stdout), baseMount);
    if (processes.length === 0) {
      throw new MountdrillError('FAULT_FAILED', `kill-sshfs found no sshfs process serving ${baseMount}`, {
        hint: 'the base mount must be up before the fault; check the steady-state step',
        evidence: { processes: ps.stdout },
      });
    }
    for (const process of processes) {
      await execChecked(client.id, ['kill', '-KILL', String(process.pid)], `sending SIGKILL to sshfs (pid ${process.pid})`);
    }
    return { killed: processes.map((process) => ({ pid: process.pid, args: process.args, signal: 'SIGKILL' })) };
  },

  async confirm(context, deadlineMs) {
    return confirmStaleMount(context, deadlineMs);
  },

  async heal(context) {
    await remountStorage(context.topology);
  },
};

/**
 * Polls until every hot path fails with ENOTCONN, the base mount is still listed in
 * mountinfo, and `ls -l` shows each hot path that is not nested in another with unknown metadata. Polling matters: the
 * kernel serves cached attributes until the FUSE attribute timeout (1 s by default) expires.
 */
export async function confirmStaleMount(context: DrillContext, deadlineMs: number): Promise<SymptomCheck> {
  const baseMount = context.profile.storage.baseMount;
  const outer = outerHotPaths(context.hotPaths);
  const isStale = (snapshot: MountSnapshot): boolean => {
    const hotProbes = snapshot.probes.filter((probe) => context.hotPaths.includes(probe.path));
    return (
      hotProbes.length === context.hotPaths.length &&
      hotProbes.every((probe) => probe.errno === ENOTCONN) &&
      snapshot.mounts[baseMount] !== null &&
      // A hot path nested in another has a stale parent, so `ls -l` of its parent fails outright.
      outer.every((hot) => snapshot.unknownMetadata.includes(hot))
    );
  };

  const result = await pollUntil({
    probe: () => snapshotMounts(context.topology.client.id, baseMount, context.hotPaths),
    until: isStale,
    timeoutMs: deadlineMs,
    intervalMs: 200,
    clock: context.clock,
  });

  const snapshot = result.ok ? result.value : result.lastValue;
  const evidence: Record<string, unknown> = {
    probes: snapshot?.probes.map(describeProbe) ?? [],
    mountinfo: snapshot ? describeMounts(snapshot.mounts) : [],
    listings: snapshot?.listings ?? {},
    attempts: result.attempts,
  };
  if (!result.ok && result.lastError) {
    evidence.lastError = result.lastError instanceof Error ? result.lastError.message : String(result.lastError);
  }
  const summary = snapshot ? snapshot.probes.filter((probe) => context.hotPaths.includes(probe.path)).map(describeProbe).join('; ') : 'no observation';
  return { reproduced: result.ok, summary, evidence, waitedMs: result.elapsedMs };
}
