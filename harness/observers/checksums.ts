import { execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';

/** SHA-256 of a file as read inside a container, or the error that prevented reading it. */
export type FileChecksum = { path: string; sha256: string } | { path: string; error: string };

const checksumScript = String.raw`
import hashlib, json, sys
results = []
for path in sys.argv[1:]:
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
        results.append({"path": path, "sha256": digest.hexdigest()})
    except OSError as error:
        results.append({"path": path, "error": "%s (errno %s)" % (error.strerror, error.errno)})
print(json.dumps(results))
`;

export async function checksumFiles(containerId: string, paths: string[], timeoutMs = 30_000): Promise<FileChecksum[]> {
  const result = await execInContainer(containerId, ['python3', '-c', checksumScript, ...paths], { timeoutMs });
  if (result.exitCode !== 0) {
    const reason = result.timedOut ? `timed out after ${timeoutMs} ms` : `failed with exit code ${result.exitCode}`;
    throw new MountdrillError('EXEC_FAILED', `checksumming ${paths.length} file(s) ${reason}: ${result.stderr.trim()}`, {
      evidence: { stderr: result.stderr },
    });
  }
  return JSON.parse(result.stdout) as FileChecksum[];
}

/** A file whose checksum differs from the expected one, or which could not be read. */
export interface ChecksumMismatch {
  path: string;
  expected: string;
  actual: string;
}

export function compareChecksums(expected: Map<string, string>, actual: FileChecksum[]): ChecksumMismatch[] {
  const mismatches: ChecksumMismatch[] = [];
  const seen = new Set<string>();
  for (const entry of actual) {
    seen.add(entry.path);
    const expectedSum = expected.get(entry.path);
    if (expectedSum === undefined) {
      continue;
    }
    const actualValue = 'sha256' in entry ? entry.sha256 : `unreadable: ${entry.error}`;
    if (actualValue !== expectedSum) {
      mismatches.push({ path: entry.path, expected: expectedSum, actual: actualValue });
    }
  }
  for (const [path, expectedSum] of expected) {
    if (!seen.has(path)) {
      mismatches.push({ path, expected: expectedSum, actual: 'not checked' });
    }
  }
  return mismatches;
}
