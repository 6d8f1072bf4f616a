import { execInContainer } from '../engine/exec.js';

/** Reads a JSON-lines file inside a container; a missing file reads as empty. */
export async function readJsonLines<T>(containerId: string, file: string): Promise<T[]> {
  const result = await execInContainer(containerId, ['cat', file], { timeoutMs: 10_000 });
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
