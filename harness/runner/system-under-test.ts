import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execChecked, execDetached, writeFilesInContainer } from '../engine/exec.js';
import { detectorLogPath } from '../expectations/detector-metrics.js';
import { shellCommand } from '../topology/shell-quote.js';
import type { DrillContext } from './context.js';

/** Copies the system's files and manifest into the client, unchanged. */
export async function installSystem(context: DrillContext): Promise<void> {
  const { profile, topology } = context;
  await writeFilesInContainer(topology.client.id, [
    { path: profile.manifest.installPath, content: profile.manifestText, mode: 0o644 },
    ...profile.files.map((file) => ({
      path: file.target,
      content: readFileSync(path.resolve(profile.directory, file.source)),
      mode: file.mode,
    })),
  ]);
  await execChecked(topology.client.id, ['mkdir', '-p', profile.detector.textfileDirectory, path.posix.dirname(detectorLogPath)], 'creating the detector directories');
}

/**
 * Runs the detector every `intervalSeconds` inside the client, the way a timer unit would.
 * The interval counts from the end of one run to the start of the next.
 */
export async function scheduleDetector(context: DrillContext): Promise<void> {
  const { detector } = context.profile;
  const loop = `while :; do ${shellCommand(detector.command)} >>${detectorLogPath} 2>&1; echo "exit status $? at $(date +%s)" >>${detectorLogPath}; sleep ${detector.intervalSeconds}; done`;
  await execDetached(context.topology.client.id, ['/bin/sh', '-c', loop]);
}
