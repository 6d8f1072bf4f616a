import { Command, CommanderError } from 'commander';
import { describeError, exitCodeFor, ExitCode } from '../errors.js';
import { pipeSink, stderrSink, type Sink } from '../log.js';
import { toolVersion } from '../runner/tool-version.js';
import { cleanCommand } from './commands/clean.js';
import { doctorCommand } from './commands/doctor.js';
import { imageCommand } from './commands/image.js';
import { runCommand, type RunCommandOptions } from './commands/run.js';

const stdout: Sink = pipeSink(process.stdout, () =>
  stderrSink.write('# warning: stdout was closed, so its output is dropped; a run goes on and still writes its TAP to the reports\n'),
);

/** Entry point of the `mountdrill` binary; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.ready;
  const program = new Command()
    .name('mountdrill')
    .description('Reproduce stale sshfs mounts in disposable containers and check what detectors, alerts and recovery do.')
    .version(toolVersion())
    .exitOverride()
    .showHelpAfterError();

  program
    .command('run')
    .description('run drills against a system under test; TAP on stdout, reports in ./reports or $MOUNTDRILL_REPORTS_DIR (exit 0 when no drill fails and at least one passes)')
    .argument('[drills...]', 'drill names (default: every built-in drill)')
    .option('--system <dir>', 'directory of the system under test, with system.yaml (default: $MOUNTDRILL_SYSTEM)')
    .option('--list', 'list drills and faults, then exit')
    .option('--quiet', 'print only the TAP stream and warnings')
    .action(async (names: string[], options: RunCommandOptions) => {
      exitCode = await runCommand(names, options, stdout);
    });

  program
    .command('doctor')
    .description('check the Docker engine, the base image and FUSE inside a container, with the fix for each failure')
    .action(async () => {
      exitCode = await doctorCommand(stdout);
    });

  program
    .command('clean')
    .description("remove containers, networks and volumes left by killed runs")
    .option('--run <id>', 'only the resources of this run id (default: everything mountdrill created)')
    .action(async (options: { run?: string }) => {
      exitCode = await cleanCommand(options, stdout);
    });

  program
    .command('image')
    .description('build the base image unless it exists, and print its reference')
    .action(async () => {
      exitCode = await imageCommand(stdout);
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.ready : ExitCode.invalidInput;
    }
    process.stderr.write(`${describeError(error)}\n`);
    return exitCodeFor(error);
  }
}
