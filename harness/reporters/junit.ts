import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { create } from 'xmlbuilder2';
import { parse as parseYaml } from 'yaml';

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
    await writeFile(outputFile, withPointDetails(xml, pointDetails(tap)));
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }
}

/** Details of a TAP test point, beyond ok or not ok, that tap-junit 5 leaves out of the XML. */
export interface PointDetails {
  skipReason?: string;
  durationMs?: number;
}

/**
 * Reads each test point's `SKIP` reason and the `durationMs` of its YAML block, keyed by point
 * number. Descriptions escape `#` as `\#`, so the first ` # SKIP` on a line starts the directive.
 */
export function pointDetails(tap: string): Map<number, PointDetails> {
  const details = new Map<number, PointDetails>();
  let current: PointDetails | undefined;
  let block: string[] | undefined;
  for (const line of tap.split('\n')) {
    const point = /^(?:not )?ok (\d+)\b/.exec(line);
    if (point) {
      current = {};
      details.set(Number(point[1]), current);
      const directive = line.indexOf(' # SKIP');
      if (directive >= 0) {
        current.skipReason = line.slice(directive + ' # SKIP'.length).trim();
      }
    } else if (line === '  ---' && current) {
      block = [];
    } else if (line === '  ...' && current && block) {
      const durationMs = durationOf(block.join('\n'));
      if (durationMs !== undefined) {
        current.durationMs = durationMs;
      }
      block = undefined;
    } else if (block) {
      block.push(line.slice(2));
    }
  }
  return details;
}

/** Reads `durationMs` from a YAML diagnostics block, or returns undefined when the block does not parse. */
function durationOf(block: string): number | undefined {
  try {
    const durationMs = (parseYaml(block) as { durationMs?: unknown } | null)?.durationMs;
    return typeof durationMs === 'number' ? durationMs : undefined;
  } catch {
    return undefined;
  }
}

/** The part of xmlbuilder2's element nodes used here, declared because the project compiles without the DOM library. */
interface ElementNode {
  getAttribute(name: string): string | null;
}

/**
 * Adds what tap-junit 5 drops: each test case's `time` in seconds, and the skip reason as the
 * `message` of its `<skipped/>` element. CI systems show both, so a reader sees the slow steps,
 * and whether a drill could not run on this host or a step was skipped after an earlier failure.
 */
export function withPointDetails(xml: string, details: Map<number, PointDetails>): string {
  const document = create(xml);
  const testCases = document.root().filter((node) => node.node.nodeName === 'testcase', false, true);
  for (const testCase of testCases) {
    const point = details.get(Number((testCase.node as unknown as ElementNode).getAttribute('id')));
    if (point?.durationMs !== undefined) {
      testCase.att('time', (point.durationMs / 1000).toFixed(3));
    }
    const skipped = testCase.filter((node) => node.node.nodeName === 'skipped');
    if (point?.skipReason && skipped[0]) {
      skipped[0].att('message', point.skipReason);
    }
  }
  return document.end({ prettyPrint: true });
}
