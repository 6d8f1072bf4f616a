import { loadSettings } from '../../config/settings.js';
import { configureTestcontainers } from '../../engine/docker.js';
import { ensureEngine } from '../../engine/provision.js';
import { ExitCode } from '../../errors.js';
import { ensureBaseImage } from '../../images/ensure-image.js';
import { createProgress, type Sink } from '../../log.js';

/** Builds the base image unless one with the current recipe hash exists; prints its reference. */
export async function imageCommand(stdout: Sink): Promise<number> {
  configureTestcontainers();
  const settings = loadSettings();
  const progress = createProgress();
  await ensureEngine(settings, progress);
  stdout.write(`${await ensureBaseImage(settings, progress)}\n`);
  return ExitCode.ready;
}
