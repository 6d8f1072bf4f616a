import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Returns the directory holding mountdrill's package.json, from source or from dist/. */
export function packageRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) {
      throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    }
    directory = parent;
  }
  return directory;
}
