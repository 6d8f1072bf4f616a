import { existsSync } from 'node:fs';
import { netemMissing } from '../faults/slow-link.js';
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
  /** Marks a check whose failure disables one fault only, so it does not fail the doctor. */
  optional?: boolean;
}

/**
 * Checks what drills need: a reachable engine, the base image, and FUSE inside a container.
 * Also checks, as an optional item, whether the kernel offers netem to containers, which only
 * the slow-link fault needs.
 */
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

  checks.push(...(await checkInContainer(engine.reachable && imagePresent, reference)));
  return checks;
}

const fuseName = 'FUSE in a container';
const netemName = 'netem in a container (slow-link fault only)';

async function checkInContainer(canRun: boolean, image: string): Promise<DoctorCheck[]> {
  if (!canRun) {
    const detail = 'cannot check without an engine and the base image';
    const fix = 'fix the checks above first';
    return [
      existsSync('/dev/fuse') ? { name: fuseName, ok: false, detail, fix } : missingFuseDevice(),
      { name: netemName, ok: false, optional: true, detail, fix },
    ];
  }
  const container = await new FuseCapableContainer(image)
    .withLabels(labelsForRun(`doctor-${newRunId()}`))
    .withAddedCapabilities('NET_ADMIN')
    .withCommand(['sleep', 'infinity'])
    .start();
  try {
    return [await checkFuse(container.getId()), await checkNetem(container.getId())];
  } finally {
    await container.stop({ remove: true, timeout: 1_000 });
  }
}

function missingFuseDevice(): DoctorCheck {
  return { name: fuseName, ok: false, detail: '/dev/fuse does not exist on this host', fix: '`modprobe fuse` as root, or use a host whose kernel has FUSE' };
}

async function checkFuse(containerId: string): Promise<DoctorCheck> {
  if (!existsSync('/dev/fuse')) {
    return missingFuseDevice();
  }
  const script = "import os; os.close(os.open('/dev/fuse', os.O_RDWR)); os.makedirs('/tmp/mount-check', exist_ok=True)";
  const open = await execInContainer(containerId, ['python3', '-c', script], { timeoutMs: 10_000 });
  if (open.exitCode !== 0) {
    return { name: fuseName, ok: false, detail: `opening /dev/fuse failed: ${open.stderr.trim()}`, fix: 'check that the engine passes devices through (no rootless or user-namespace remapping)' };
  }
  const mount = await execInContainer(containerId, ['mount', '-t', 'tmpfs', 'tmpfs', '/tmp/mount-check'], { timeoutMs: 10_000 });
  if (mount.exitCode !== 0) {
    return { name: fuseName, ok: false, detail: `mount with CAP_SYS_ADMIN failed: ${mount.stderr.trim()}`, fix: 'check AppArmor or SELinux policy for containers; mountdrill runs them AppArmor-unconfined' };
  }
  return { name: fuseName, ok: true, detail: '/dev/fuse opens and mount(2) works with CAP_SYS_ADMIN, without --privileged' };
}

/** Checks netem by adding a qdisc to the container's loopback interface, which sends no packet anywhere. */
async function checkNetem(containerId: string): Promise<DoctorCheck> {
  const add = await execInContainer(containerId, ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'], { timeoutMs: 10_000 });
  if (add.exitCode === 0) {
    return { name: netemName, ok: true, optional: true, detail: 'tc adds a netem queueing discipline with CAP_NET_ADMIN' };
  }
  const output = add.stderr.trim() || add.stdout.trim() || `exit code ${add.exitCode}`;
  if (netemMissing(output)) {
    return {
      name: netemName,
      ok: false,
      optional: true,
      detail: `the kernel lacks sch_netem (${output}), so drills report the slow-link fault as unavailable on this host; every other fault works`,
      fix: '`modprobe sch_netem` on the host, where the kernel ships the module',
    };
  }
  return { name: netemName, ok: false, optional: true, detail: `tc could not add a netem queueing discipline: ${output}`, fix: 'check that the base image has iproute2 and the engine grants CAP_NET_ADMIN' };
}
