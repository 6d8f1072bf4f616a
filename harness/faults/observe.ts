import { execChecked, execInContainer } from '../engine/exec.js';
import { mountAt, parseMountInfo, type MountInfoEntry } from '../observers/mountinfo.js';
import { describeProbe, probePaths, type PathProbe } from '../observers/path-probe.js';
import type { DrillContext } from '../runner/context.js';
import { isInside } from '../topology/manifest.js';
import { pollUntil } from '../runner/poll.js';
import type { SymptomCheck } from './fault.js';
import { parsePsOutput, sshfsProcessesFor, sshTransportsTo } from './sshfs-process.js';

/** Probes of the base and hot paths and their mount table entries, without `ls` (which a hung mount would block). */
export interface StorageObservation {
  probes: PathProbe[];
  mounts: Record<string, MountInfoEntry | null>;
}

/** Seconds the harness waits for a probe before it counts the path as hung. */
export const hangProbeTimeoutSeconds = 2;

export async function observeStorage(context: DrillContext): Promise<StorageObservation> {
  const { baseMount } = context.profile.storage;
  const paths = [baseMount, ...context.hotPaths];
  const probes = await probePaths(context.topology.client.id, paths, hangProbeTimeoutSeconds);
  const mounts = await readMounts(context.topology.client.id, paths);
  return { probes, mounts };
}

/** Mount table entry at each path, or null where nothing is mounted. */
export async function readMounts(containerId: string, paths: string[]): Promise<Record<string, MountInfoEntry | null>> {
  const entries = parseMountInfo((await execInContainer(containerId, ['cat', '/proc/self/mountinfo'], { timeoutMs: 5_000 })).stdout);
  return Object.fromEntries(paths.map((target) => [target, mountAt(entries, target) ?? null]));
}

/** Hot paths that are not nested inside another hot path. */
export function outerHotPaths(hotPaths: string[]): string[] {
  return hotPaths.filter((hot) => !hotPaths.some((other) => other !== hot && isInside(hot, other)));
}

/** Process ids of the base mount's sshfs and of the ssh sessions that carry it. */
export interface SessionProcesses {
  sshfs: number[];
  transports: number[];
}

/** Lists the client's processes and returns those of the base mount's session. */
export async function sessionProcesses(context: DrillContext): Promise<SessionProcesses> {
  const ps = await execChecked(context.topology.client.id, ['ps', '-eo', 'pid=,args='], 'listing client processes');
  const entries = parsePsOutput(ps.stdout);
  return {
    sshfs: sshfsProcessesFor(entries, context.profile.storage.baseMount).map((entry) => entry.pid),
    transports: sshTransportsTo(entries, context.topology.server.address).map((entry) => entry.pid),
  };
}

export function hotProbes(context: Pick<DrillContext, 'hotPaths'>, observation: StorageObservation): PathProbe[] {
  return observation.probes.filter((probe) => context.hotPaths.includes(probe.path));
}

export function baseProbe(context: Pick<DrillContext, 'profile'>, observation: StorageObservation): PathProbe | undefined {
  return observation.probes.find((probe) => probe.path === context.profile.storage.baseMount);
}

export function describeMounts(mounts: Record<string, MountInfoEntry | null>): string[] {
  return Object.entries(mounts).map(([target, entry]) => (entry ? `${target}: ${entry.fsType} ${entry.source} dev ${entry.device}` : `${target}: not mounted`));
}

/**
 * Polls an observation until `holds` accepts it or the deadline passes, and turns the last
 * observation into a symptom check with the probes and mount table as evidence.
 */
export async function pollForSymptom<T extends StorageObservation>(
  context: DrillContext,
  deadlineMs: number,
  observe: () => Promise<T>,
  holds: (observation: T) => boolean,
  extraEvidence: (observation: T) => Record<string, unknown> = () => ({}),
): Promise<SymptomCheck> {
  const result = await pollUntil({ probe: observe, until: holds, timeoutMs: deadlineMs, intervalMs: 200, clock: context.clock });
  const observation = result.ok ? result.value : result.lastValue;
  const evidence: Record<string, unknown> = {
    probes: observation?.probes.map(describeProbe) ?? [],
    mountinfo: observation ? describeMounts(observation.mounts) : [],
    attempts: result.attempts,
    ...(observation ? extraEvidence(observation) : {}),
  };
  if (!result.ok && result.lastError) {
    evidence.lastError = result.lastError instanceof Error ? result.lastError.message : String(result.lastError);
  }
  const summary = observation ? observation.probes.map(describeProbe).join('; ') : 'no observation';
  return { reproduced: result.ok, summary, evidence, waitedMs: result.elapsedMs };
}
