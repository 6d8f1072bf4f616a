import path from 'node:path/posix';
import { execInContainer } from '../engine/exec.js';
import { entriesWithUnknownMetadata } from './ls-listing.js';
import { mountAt, parseMountInfo, type MountInfoEntry } from './mountinfo.js';
import { probePaths, type PathProbe } from './path-probe.js';

/** State of the client's storage mounts at one moment. */
export interface MountSnapshot {
  probes: PathProbe[];
  /** Mount table entry at each probed path, if any. */
  mounts: Record<string, MountInfoEntry | null>;
  /** `ls -l` output of each hot path's parent directory. */
  listings: Record<string, string>;
  /** Hot paths that `ls -l` of their parent shows as `d?????????`. */
  unknownMetadata: string[];
}

/** Probes the base and hot paths and records mountinfo and `ls -l` of each hot path's parent. */
export async function snapshotMounts(containerId: string, baseMount: string, hotPaths: string[], probeTimeoutSeconds = 2): Promise<MountSnapshot> {
  const probes = await probePaths(containerId, [baseMount, ...hotPaths], probeTimeoutSeconds);

  const mountinfo = await execInContainer(containerId, ['cat', '/proc/self/mountinfo'], { timeoutMs: 5_000 });
  const entries = parseMountInfo(mountinfo.stdout);
  const mounts: Record<string, MountInfoEntry | null> = {};
  for (const target of [baseMount, ...hotPaths]) {
    mounts[target] = mountAt(entries, target) ?? null;
  }

  const listings: Record<string, string> = {};
  const unknownMetadata: string[] = [];
  for (const parent of [...new Set(hotPaths.map((hot) => path.dirname(hot)))]) {
    const listing = await execInContainer(containerId, ['ls', '-l', parent], { timeoutMs: (probeTimeoutSeconds + 1) * 1000 });
    listings[parent] = `${listing.stdout}${listing.stderr}`;
    for (const name of entriesWithUnknownMetadata(listing.stdout)) {
      unknownMetadata.push(path.join(parent, name));
    }
  }
  return { probes, mounts, listings, unknownMetadata };
}
