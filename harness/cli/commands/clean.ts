import { ExitCode } from '../../errors.js';
import type { Sink } from '../../log.js';
import { removeLabelled } from '../../runner/cleanup.js';

/** Removes what killed runs left behind: one run's resources, or all of mountdrill's. */
export async function cleanCommand(options: { run?: string }, stdout: Sink): Promise<number> {
  const report = await removeLabelled(options.run);
  const removed = report.containers.length + report.networks.length + report.volumes.length;
  // With errors and nothing removed, "removed 0" would read as a clean host, so only the errors print.
  if (removed > 0 || report.errors.length === 0) {
    stdout.write(`removed ${report.containers.length} container(s), ${report.networks.length} network(s), ${report.volumes.length} volume(s)\n`);
  }
  for (const name of [...report.containers, ...report.networks, ...report.volumes]) {
    stdout.write(`  ${name}\n`);
  }
  if (removed === 0 && report.errors.length === 0) {
    // A mistyped run id also removes nothing, so the message names the run that was searched for.
    stdout.write(options.run ? `no container, network or volume has the label of run ${options.run}; each run prints its id first, as "mountdrill run <id>:"\n` : 'nothing left by mountdrill\n');
  }
  for (const error of report.errors) {
    stdout.write(`error: ${error}\n`);
  }
  if (report.errors.length > 0) {
    stdout.write('fix: `npx mountdrill doctor` checks that the Docker engine is reachable; run clean again once it is\n');
  }
  return report.errors.length === 0 ? ExitCode.ready : ExitCode.environment;
}
