import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

const require = createRequire(import.meta.url);

/**
 * Converts TAP text to JUnit XML with tap-junit and writes it to `outputFile`.
 * tap-junit runs as a subprocess because its library entry point exits the process
 * when the TAP has failures. For the same reason its exit status is ignored.
 */
export async function writeJunitFromTap(tap: string, outputFile: string, suiteName = 'mountdrill'): Promise<void> {
  const bin = path.join(path.dirname(require.resolve('tap-junit/package.json')), 'bin', 'tap-junit');
  const workDirectory = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-junit-'));
  try {
    const result = await execa(process.execPath, [bin, '--output', workDirectory, '--name', suiteName, '--suite', suiteName, '--classname', suiteName, '--pretty'], {
      input: tap,
      reject: false,
    });
    const produced = path.join(workDirectory, `${suiteName}.xml`);
    const xml = await readFile(produced, 'utf8').catch(() => {
      throw new Error(`tap-junit produced no XML (exit code ${result.exitCode}): ${result.stderr}`);
    });
    await writeFile(outputFile, xml);
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
}
