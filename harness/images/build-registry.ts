import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { docker } from '../engine/docker.js';
import { MountdrillError } from '../errors.js';
import { managedLabel, recipeLabel } from '../labels.js';
import type { Progress } from '../log.js';
import { dockerfileFor, imageRepository, recipeHash, type ImageRecipe } from './recipe.js';

/** Builds the base image FROM debian:<suite>-slim, which pulls from a container registry. */
export async function buildFromRegistry(recipe: ImageRecipe, progress: Progress): Promise<string> {
  const tag = recipeHash(recipe);
  const reference = `${imageRepository}:${tag}`;
  progress.info(`Building ${reference} from debian:${recipe.suite}-slim (pulls from a registry)`);

  const context = pack();
  context.entry({ name: 'Dockerfile' }, dockerfileFor(recipe));
  context.finalize();

  try {
    const response = await docker().buildImage(Readable.from(context) as unknown as NodeJS.ReadableStream, {
      t: reference,
      labels: { [managedLabel]: 'true', [recipeLabel]: tag },
    });
    await new Promise<void>((resolve, reject) => {
      docker().modem.followProgress(
        response,
        (error: Error | null, output: Array<{ error?: string }>) => {
          const failure = error?.message ?? output.find((entry) => entry.error)?.error;
          if (failure) {
            reject(new Error(failure));
          } else {
            resolve();
          }
        },
        (event: { stream?: string }) => {
          const line = event.stream?.trim();
          if (line?.startsWith('Step ')) {
            progress.info(`  ${line}`);
          }
        },
      );
    });
  } catch (error) {
    throw new MountdrillError('IMAGE_BUILD_FAILED', `building ${reference} from debian:${recipe.suite}-slim failed: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'on a host without a container registry set MOUNTDRILL_IMAGE_SOURCE=debootstrap',
      cause: error,
    });
  }
  return reference;
}
