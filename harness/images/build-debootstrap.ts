import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Settings } from '../config/settings.js';
import { docker } from '../engine/docker.js';
import { aptInstall, commandExists } from '../engine/provision.js';
import { MountdrillError } from '../errors.js';
import { recipeLabel, managedLabel } from '../labels.js';
import { debugLog, type Progress } from '../log.js';
import { imageRepository, recipeHash, type ImageRecipe } from './recipe.js';
import { debootstrapPhase, type DebootstrapPhase } from './debootstrap-progress.js';

const log = debugLog('images');

/**
 * Builds the base image without any container registry: debootstrap writes a Debian root
 * filesystem from the package mirror, and `docker import` turns it into an image.
 */
export async function buildWithDebootstrap(recipe: ImageRecipe, settings: Settings, progress: Progress): Promise<string> {
  await ensureDebootstrap(settings, progress);
  const tag = recipeHash(recipe);
  const root = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-rootfs-'));
  try {
    await runDebootstrap(recipe, root, settings.debianMirror, progress);
    await execa('chroot', [root, '/bin/sh', '-c', recipe.finishScript]);
    progress.info(`Importing the root filesystem as ${imageRepository}:${tag}`);
    await importRootFilesystem(root, tag);
  } catch (error) {
    if (error instanceof MountdrillError) {
      throw error;
    }
    throw new MountdrillError('IMAGE_BUILD_FAILED', `building ${imageRepository}:${tag} with debootstrap failed: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `check that ${settings.debianMirror} serves Debian ${recipe.suite} (set MOUNTDRILL_DEBIAN_MIRROR to another mirror), and that there is free disk space in ${os.tmpdir()}`,
      cause: error,
    });
  } finally {
    await rm(root, { recursive: true, force: true }).catch((error: unknown) => log('could not remove %s: %O', root, error));
  }
  return `${imageRepository}:${tag}`;
}

async function ensureDebootstrap(settings: Settings, progress: Progress): Promise<void> {
  if (await commandExists('debootstrap')) {
    return;
  }
  if (!settings.provision || process.getuid?.() !== 0) {
    throw new MountdrillError('IMAGE_BUILD_FAILED', 'debootstrap is not installed, and the base image source is debootstrap', {
      hint: 'install it (`apt-get install debootstrap`) as root, or set MOUNTDRILL_IMAGE_SOURCE=registry on a host that reaches a container registry',
    });
  }
  progress.info('Installing debootstrap');
  await aptInstall(['debootstrap']);
}

async function runDebootstrap(recipe: ImageRecipe, root: string, mirror: string, progress: Progress): Promise<void> {
  const started = performance.now();
  progress.info(`Building the base image with debootstrap (${recipe.suite}, ${recipe.packages.length} packages; about a minute)`);
  const subprocess = execa('debootstrap', ['--variant=minbase', `--include=${recipe.packages.join(',')}`, recipe.suite, root, mirror], {
    all: true,
    reject: false,
  });

  // debootstrap alternates retrieving and validating per package, so a phase is announced only
  // the first time it appears, with a heartbeat every 10 s in between.
  const counts = new Map<DebootstrapPhase, number>();
  let current: DebootstrapPhase | undefined;
  let lastHeartbeat = performance.now();
  const tail: string[] = [];
  for await (const line of subprocess.iterable({ from: 'all' })) {
    tail.push(line);
    if (tail.length > 30) {
      tail.shift();
    }
    const phase = debootstrapPhase(line);
    if (!phase) {
      continue;
    }
    if (!counts.has(phase)) {
      progress.info(`  debootstrap: ${phase}`);
    }
    counts.set(phase, (counts.get(phase) ?? 0) + 1);
    current = phase;
    if (performance.now() - lastHeartbeat > 10_000) {
      lastHeartbeat = performance.now();
      progress.info(`  debootstrap: ${current}, ${counts.get(current)} step(s) so far, ${((lastHeartbeat - started) / 1000).toFixed(0)} s elapsed`);
    }
  }

  const result = await subprocess;
  if (result.exitCode !== 0) {
    throw new MountdrillError('IMAGE_BUILD_FAILED', `debootstrap exited with code ${result.exitCode}`, {
      hint: `read the output below; check that ${mirror} serves Debian ${recipe.suite} and set MOUNTDRILL_DEBIAN_MIRROR otherwise`,
      evidence: { outputTail: tail.join('\n') },
    });
  }
  progress.info(`  debootstrap finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function importRootFilesystem(root: string, tag: string): Promise<void> {
  const tar = execa('tar', ['-C', root, '--numeric-owner', '-c', '.'], { stdout: 'pipe', buffer: false });
  const response = (await docker().importImage(tar.stdout as NodeJS.ReadableStream, {
    repo: imageRepository,
    tag,
    changes: ['CMD ["/bin/bash"]', `LABEL ${managedLabel}=true ${recipeLabel}=${tag}`],
  })) as NodeJS.ReadableStream;
  await new Promise<void>((resolve, reject) => {
    docker().modem.followProgress(response, (error: Error | null) => (error ? reject(error) : resolve()));
  });
  await tar;
}
