import { randomBytes } from 'node:crypto';
import path from 'node:path/posix';
import { execChecked, execInContainer } from '../engine/exec.js';
import type { Expectation } from './expectation.js';

/** Path and checksum of the stray write, recorded for the check after recovery. */
interface StrayWrite {
  path: string;
  name: string;
  sha256: string;
}

const strayWriteId = 'stray-write';

/**
 * Writes a file under the vanished base mountpoint the way a job that creates its own directory
 * does (`mkdir -p`, then write), and expects it to land on the client's local disk. That is the
 * data a production host loses when the mount comes back over it.
 */
export function strayWriteLandsLocally(): Expectation {
  return {
    id: strayWriteId,
    title: 'a write under the vanished mountpoint lands on the local disk',
    deadlineMs: () => 10_000,
    async evaluate(context) {
      // The first cold directory: with the mount gone it is an ordinary path on the local disk.
      const directory = context.profile.bindings[0]!.cold;
      const name = `mountdrill-stray-${context.runId}-${randomBytes(3).toString('hex')}.dat`;
      const file = path.join(directory, name);
      // Written by a process in the client, as a job would; the engine's archive upload would bypass the client's mounts.
      const script = 'mkdir -p "$1" && head -c 4096 /dev/urandom > "$2" && sha256sum "$2" && stat -f -c %T "$2"';
      const written = await execChecked(context.topology.client.id, ['/bin/sh', '-c', script, 'stray-write', directory, file], `writing ${file} under the vanished mountpoint`);
      const [sumLine = '', fileSystem = ''] = written.stdout.trim().split('\n');
      const record: StrayWrite = { path: file, name, sha256: sumLine.split(/\s+/)[0] ?? '' };
      if (fileSystem.startsWith('fuse')) {
        return { ok: false, message: `${file} landed on ${fileSystem}, not on the local disk: the mount is not gone`, evidence: { ...record }, waitedMs: 0 };
      }
      return { ok: true, message: `${file} written to the local ${fileSystem} file system`, evidence: {}, waitedMs: 0, detail: { ...record, fileSystem } };
    },
  };
}

/**
 * Expects the file of `strayWriteLandsLocally` to survive recovery where someone can find it:
 * on the storage server, or anywhere on the client's own disk outside a mountpoint. A recovery
 * that mounts over the directory hides the file, which counts as lost.
 */
export function strayWriteKept(): Expectation {
  return {
    id: 'stray-write-kept',
    title: 'the file written while the mount was gone is kept, not hidden under the new mount',
    needsRecovery: true,
    deadlineMs: () => 30_000,
    async evaluate(context) {
      const record = context.journal.observations[strayWriteId] as StrayWrite | undefined;
      if (!record) {
        return { ok: false, message: `no stray write was recorded; the ${strayWriteId} step must run first`, evidence: {}, waitedMs: 0 };
      }
      // -xdev keeps find on the client's own disk: a file hidden under a mountpoint cannot be reached.
      const onClient = await execInContainer(context.topology.client.id, ['find', '/', '-xdev', '-type', 'f', '-name', record.name, '-exec', 'sha256sum', '{}', '+'], { timeoutMs: 60_000 });
      const onServer = await execInContainer(context.topology.server.id, ['find', context.topology.server.exportPath, '-type', 'f', '-name', record.name, '-exec', 'sha256sum', '{}', '+'], { timeoutMs: 60_000 });
      const copies = [
        ...parseSums(onClient.stdout).map((entry) => ({ ...entry, where: 'client disk' })),
        ...parseSums(onServer.stdout).map((entry) => ({ ...entry, where: 'storage server' })),
      ];
      const intact = copies.filter((copy) => copy.sha256 === record.sha256);
      if (intact.length > 0) {
        return { ok: true, message: `${record.path} kept at ${intact.map((copy) => `${copy.file} (${copy.where})`).join(', ')}`, evidence: {}, waitedMs: 0, detail: { copies: intact } };
      }
      return {
        ok: false,
        message: `${record.path}, written while the mount was gone, is nowhere on the client's disk or the server: the new mount hides it`,
        evidence: { written: record, copiesFound: copies, findErrors: `${onClient.stderr}${onServer.stderr}`.trim() },
        waitedMs: 0,
      };
    },
  };
}

function parseSums(output: string): Array<{ sha256: string; file: string }> {
  return output
    .split('\n')
    .map((line) => /^([0-9a-f]{64})\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ sha256: match[1]!, file: match[2]! }));
}
