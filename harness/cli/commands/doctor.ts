import { runDoctor } from '../../engine/doctor.js';
import { ExitCode } from '../../errors.js';
import type { Sink } from '../../log.js';

/** Prints each check with its fix; exit code 0 when all pass, 3 otherwise. */
export async function doctorCommand(stdout: Sink): Promise<number> {
  const checks = await runDoctor();
  for (const check of checks) {
    stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
    if (!check.ok && check.fix) {
      stdout.write(`     fix: ${check.fix}\n`);
    }
  }
  return checks.every((check) => check.ok) ? ExitCode.ready : ExitCode.environment;
}
