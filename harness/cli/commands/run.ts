import { builtinDrills } from '../../../drills/index.js';
import { loadSettings } from '../../config/settings.js';
import { loadSystemProfile } from '../../config/system-profile.js';
import { MountdrillError, ExitCode } from '../../errors.js';
import { faultCatalog } from '../../faults/catalog.js';
import { createProgress, type Sink } from '../../log.js';
import type { DrillDefinition } from '../../runner/drill.js';
import { removeReports, runDrills } from '../../runner/run.js';

export interface RunCommandOptions {
  system?: string;
  list?: boolean;
  quiet?: boolean;
}

/** Runs the named drills (all built-in drills when none is named); returns the exit code. */
export async function runCommand(names: string[], options: RunCommandOptions, stdout: Sink): Promise<number> {
  if (options.list) {
    stdout.write(listText());
    return ExitCode.ready;
  }
  const settings = loadSettings();
  // A rejected command line must not leave an earlier run's passing reports for CI to read.
  await removeReports(settings.reportsDir);
  const drills = selectDrills(names);
  const systemDirectory = options.system ?? process.env.MOUNTDRILL_SYSTEM;
  if (!systemDirectory) {
    throw new MountdrillError('USAGE', 'no system under test given', {
      hint: 'pass --system DIR (a directory with system.yaml), or set MOUNTDRILL_SYSTEM; `npm run drill` uses fixtures/reference-system',
    });
  }
  const profile = loadSystemProfile(systemDirectory);
  const result = await runDrills({ drills, profile, settings, tapSink: stdout, progress: createProgress(undefined, options.quiet), handleSignals: true });
  return result.report.verdict === 'ready' ? ExitCode.ready : ExitCode.notReady;
}

function selectDrills(names: string[]): DrillDefinition[] {
  if (names.length === 0) {
    return builtinDrills;
  }
  return names.map((name) => {
    const drill = builtinDrills.find((candidate) => candidate.name === name);
    if (!drill) {
      throw new MountdrillError('USAGE', `unknown drill ${JSON.stringify(name)}`, {
        hint: `use one of: ${builtinDrills.map((candidate) => candidate.name).join(', ')} (see \`mountdrill run --list\`)`,
      });
    }
    return drill;
  });
}

function listText(): string {
  const width = Math.max(...builtinDrills.map((drill) => drill.name.length), ...[...faultCatalog.keys()].map((name) => name.length)) + 2;
  const lines = ['Drills:'];
  for (const drill of builtinDrills) {
    const fault = typeof drill.fault === 'string' ? drill.fault : drill.fault.name;
    lines.push(`  ${drill.name.padEnd(width)}${drill.description}`);
    lines.push(`  ${''.padEnd(width)}fault: ${fault}`);
  }
  lines.push('', 'Faults:');
  for (const fault of faultCatalog.values()) {
    lines.push(`  ${fault.name.padEnd(width)}${fault.description}`);
    lines.push(`  ${''.padEnd(width)}symptom: ${fault.symptom}`);
  }
  return `${lines.join('\n')}\n`;
}
