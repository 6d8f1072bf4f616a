import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { create } from 'xmlbuilder2';

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
    await writeFile(outputFile, withSkipReasons(xml, skipReasons(tap)));
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
}

/**
 * Reads the reason of every `SKIP` directive in TAP, keyed by test point number. Descriptions
 * escape `#` as `\#`, so the first ` # SKIP` on a line always starts the directive.
 */
export function skipReasons(tap: string): Map<number, string> {
  const reasons = new Map<number, string>();
  for (const line of tap.split('\n')) {
    const point = /^(?:not )?ok (\d+)\b/.exec(line);
    const directive = line.indexOf(' # SKIP');
    if (point && directive >= 0) {
      reasons.set(Number(point[1]), line.slice(directive + ' # SKIP'.length).trim());
    }
  }
  return reasons;
}

/** The part of xmlbuilder2's element nodes used here; the project compiles without the DOM library. */
interface ElementNode {
  getAttribute(name: string): string | null;
}

/**
 * Adds the TAP skip reason as the `message` of each `<skipped/>` element. tap-junit 5 drops it.
 * CI systems show that message next to a skipped test, so a reader sees whether a drill could not
 * run on this host or a step was skipped after an earlier failure.
 */
export function withSkipReasons(xml: string, reasons: Map<number, string>): string {
  const document = create(xml);
  const testCases = document.root().filter((node) => node.node.nodeName === 'testcase', false, true);
  for (const testCase of testCases) {
    const reason = reasons.get(Number((testCase.node as unknown as ElementNode).getAttribute('id')));
    const skipped = testCase.filter((node) => node.node.nodeName === 'skipped');
    if (reason && skipped[0]) {
      skipped[0].att('message', reason);
    }
  }
  return document.end({ prettyPrint: true });
}
