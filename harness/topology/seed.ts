import { createHash } from 'node:crypto';
import path from 'node:path/posix';

/** One file of the data tree seeded on the storage server. */
export interface SeedFile {
  /** Path relative to the server's export directory. */
  relativePath: string;
  content: Buffer;
  sha256: string;
}

export interface SeedOptions {
  /** Directories (relative to the export) that must exist, such as the manifest's cold paths. */
  directories: string[];
  filesPerDirectory?: number;
  fileSizeBytes?: number;
  /** Run id, so two runs never seed identical bytes. */
  salt: string;
}

/**
 * Generates a deterministic data tree: a few files in each directory plus one at the top.
 * Contents derive from the salt and the path, so checksums are known before anything is written.
 */
export function generateSeed(options: SeedOptions): SeedFile[] {
  const filesPerDirectory = options.filesPerDirectory ?? 3;
  const fileSizeBytes = options.fileSizeBytes ?? 4096;
  const relativePaths = ['SEEDED-BY-MOUNTDRILL'];
  for (const directory of [...new Set(options.directories)].sort()) {
    for (let index = 1; index <= filesPerDirectory; index += 1) {
      relativePaths.push(path.join(directory, `seed-${index}.dat`));
    }
  }
  return relativePaths.map((relativePath) => {
    const content = deterministicBytes(`${options.salt}:${relativePath}`, fileSizeBytes);
    return { relativePath, content, sha256: createHash('sha256').update(content).digest('hex') };
  });
}

/** Expands a seed string into `size` bytes by chaining SHA-256 blocks. */
function deterministicBytes(seed: string, size: number): Buffer {
  const blocks: Buffer[] = [];
  let block = createHash('sha256').update(seed).digest();
  let length = 0;
  while (length < size) {
    blocks.push(block);
    length += block.length;
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(blocks).subarray(0, size);
}
