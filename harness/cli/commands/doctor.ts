import { runDoctor } from '../../engine/doctor.js';
import { ExitCode } from '../../errors.js';
import type { Sink } from '../../log.js';

/** Prints each check with its fix. Returns exit code 0 when every required check passes, 3 otherwise. */
export async function doctorCommand(stdout: Sink): Promise<number> {
  const checks = await runDoctor();
  for (const check of checks) {
    stdout.write(`${check.ok ? 'ok  ' : check.optional ? 'warn' : 'FAIL'} ${check.name}: ${check.detail}\n`);
    if (!check.ok && check.fix) {
      stdout.write(`     fix: ${check.fix}\n`);
    }
  }
  return checks.every((check) => check.ok || check.optional) ? ExitCode.ready : ExitCode.environment;
}
