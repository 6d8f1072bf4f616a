import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { builtinDrills } from '../drills/index.js';
import { packageRoot } from '../harness/config/paths.js';
import { loadSettings } from '../harness/config/settings.js';
import { loadSystemProfile } from '../harness/config/system-profile.js';
import { createProgress, silentProgress } from '../harness/log.js';
import { runDrills } from '../harness/runner/run.js';

/**
 * Runs one drill (stale-hot-path by default) against the reference system several times and
 * prints the median and maximum of its wall time, harness overhead and measured latencies.
 * Usage: npm run bench -- [--runs N] [--drill NAME]
 */
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, drill: { type: 'string', default: 'stale-hot-path' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);
}
const benchedDrill = builtinDrills.find((candidate) => candidate.name === values.drill);
if (!benchedDrill) {
  throw new Error(`unknown drill ${JSON.stringify(values.drill)}; use one of: ${builtinDrills.map((candidate) => candidate.name).join(', ')}`);
}

const profile = loadSystemProfile(path.join(packageRoot(), 'fixtures', 'reference-system'));
const settings = { ...loadSettings(), reportsDir: await mkdtemp(path.join(os.tmpdir(), 'mountdrill-bench-')) };
const rows: Array<Record<string, number>> = [];
const progress = createProgress();

for (let run = 1; run <= runs; run += 1) {
  const result = await runDrills({ drills: [benchedDrill], profile, settings, tapSink: { write: () => undefined }, progress: run === 1 ? progress : silentProgress });
  const drill = result.report.drills[0]!;
  if (drill.verdict !== 'passed') {
    throw new Error(`run ${run} failed; see ${result.files.json}`);
  }
  rows.push({
    wallMs: drill.overhead.wallMs,
    harnessOverheadMs: drill.overhead.harnessOverheadMs,
    systemWaitMs: drill.overhead.systemWaitMs,
    ...Object.fromEntries(Object.entries(drill.timings).map(([key, value]) => [key, value ?? Number.NaN])),
  });
  process.stderr.write(`# run ${run}/${runs}: wall ${drill.overhead.wallMs} ms, overhead ${drill.overhead.harnessOverheadMs} ms\n`);
}

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

console.log(`stale-hot-path, ${runs} run(s), ${os.cpus().length} CPU(s), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log('| metric | median ms | max ms |');
console.log('| --- | --- | --- |');
for (const metric of Object.keys(rows[0]!)) {
  const samples = rows.map((row) => row[metric]!);
  console.log(`| ${metric} | ${Math.round(median(samples))} | ${Math.round(Math.max(...samples))} |`);
}
