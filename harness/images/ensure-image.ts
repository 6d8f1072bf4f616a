import type { Settings } from '../config/settings.js';
import { docker } from '../engine/docker.js';
import { MountdrillError } from '../errors.js';
import { debugLog, type Progress } from '../log.js';
import { buildWithDebootstrap } from './build-debootstrap.js';
import { buildFromRegistry } from './build-registry.js';
import { baseRecipe, imageReference, type ImageRecipe } from './recipe.js';

const log = debugLog('images');

export async function imageExists(reference: string): Promise<boolean> {
  try {
    await docker().getImage(reference).inspect();
    return true;
  } catch (error) {
    log('image %s not found: %s', reference, error instanceof Error ? error.message : String(error));
    return false;
  }
}

/**
 * Returns the base image reference, building the image first when no image with the
 * recipe's hash exists. A changed package list or build script changes the hash, so a
 * stale image is never reused.
 */
export async function ensureBaseImage(settings: Settings, progress: Progress, recipe: ImageRecipe = baseRecipe): Promise<string> {
  const reference = imageReference(recipe);
  if (await imageExists(reference)) {
    log('reusing %s', reference);
    return reference;
  }

  switch (settings.imageSource) {
    case 'debootstrap':
      return buildWithDebootstrap(recipe, settings, progress);
    case 'registry':
      return buildFromRegistry(recipe, progress);
    case 'auto':
      return buildAuto(recipe, settings, progress);
  }
}

/** Tries the registry first and falls back to debootstrap when the pull or build fails. */
async function buildAuto(recipe: ImageRecipe, settings: Settings, progress: Progress): Promise<string> {
  try {
    return await buildFromRegistry(recipe, progress);
  } catch (error) {
    if (!(error instanceof MountdrillError)) {
      throw error;
    }
    progress.warn(`registry build failed (${error.message}); falling back to debootstrap`);
    return buildWithDebootstrap(recipe, settings, progress);
  }
}
