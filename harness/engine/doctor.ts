import { existsSync } from 'node:fs';
import { imageExists } from '../images/ensure-image.js';
import { imageReference } from '../images/recipe.js';
import { labelsForRun } from '../labels.js';
import { newRunId } from '../runner/run-id.js';
import { FuseCapableContainer } from '../topology/fuse-container.js';
import { configureTestcontainers, probeEngine } from './docker.js';
import { execInContainer } from './exec.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** Command or action that fixes a failed check. */
  fix?: string;
}

/** Checks what drills need: a reachable engine, the base image, and FUSE inside a container. */
export async function runDoctor(): Promise<DoctorCheck[]> {
  configureTestcontainers();
  const checks: DoctorCheck[] = [];

  const engine = await probeEngine();
  checks.push(
    engine.reachable
      ? { name: 'Docker engine', ok: true, detail: `reachable, version ${engine.version} (API ${engine.apiVersion})` }
      : {
          name: 'Docker engine',
          ok: false,
          detail: `not reachable: ${engine.error}`,
          fix: 'as root on Debian or Ubuntu, `npm run drill` installs and starts it unless MOUNTDRILL_NO_PROVISION=1; by hand: `apt-get install docker.io && dockerd --ip-masq=false &`',
        },
  );

  const reference = imageReference();
  const imagePresent = engine.reachable && (await imageExists(reference));
  checks.push(
    imagePresent
      ? { name: 'base image', ok: true, detail: `${reference} present` }
      : {
          name: 'base image',
          ok: false,
          detail: engine.reachable ? `${reference} not found` : 'cannot check without an engine',
          fix: '`npx mountdrill image` builds it (about a minute with debootstrap)',
        },
  );

  checks.push(await checkFuse(engine.reachable && imagePresent, reference));
  return checks;
}

async function checkFuse(canRun: boolean, image: string): Promise<DoctorCheck> {
  const name = 'FUSE in a container';
  if (!existsSync('/dev/fuse')) {
    return { name, ok: false, detail: '/dev/fuse does not exist on this host', fix: '`modprobe fuse` as root, or use a host whose kernel has FUSE' };
  }
  if (!canRun) {
    return { name, ok: false, detail: 'cannot check without an engine and the base image', fix: 'fix the checks above first' };
  }
  const container = await new FuseCapableContainer(image)
    .withLabels(labelsForRun(`doctor-${newRunId()}`))
    .withCommand(['sleep', 'infinity'])
    .start();
  try {
    const script = "import os; os.close(os.open('/dev/fuse', os.O_RDWR)); os.makedirs('/tmp/mount-check', exist_ok=True)";
    const open = await execInContainer(container.getId(), ['python3', '-c', script], { timeoutMs: 10_000 });
    if (open.exitCode !== 0) {
      return { name, ok: false, detail: `opening /dev/fuse failed: ${open.stderr.trim()}`, fix: 'check that the engine passes devices through (no rootless or user-namespace remapping)' };
    }
    const mount = await execInContainer(container.getId(), ['mount', '-t', 'tmpfs', 'tmpfs', '/tmp/mount-check'], { timeoutMs: 10_000 });
    if (mount.exitCode !== 0) {
      return { name, ok: false, detail: `mount with CAP_SYS_ADMIN failed: ${mount.stderr.trim()}`, fix: 'check AppArmor or SELinux policy for containers; mountdrill runs them AppArmor-unconfined' };
    }
    return { name, ok: true, detail: '/dev/fuse opens and mount(2) works with CAP_SYS_ADMIN, without --privileged' };
  } finally {
    await container.stop({ remove: true, timeout: 1_000 });
  }
}
