import type { TestProject } from 'vitest/node';
import { loadSettings } from '../harness/config/settings.js';
import { configureTestcontainers } from '../harness/engine/docker.js';
import { ensureEngine } from '../harness/engine/provision.js';
import { ensureBaseImage } from '../harness/images/ensure-image.js';
import { createProgress } from '../harness/log.js';

/** Engine and image state shared with the integration tests through `inject('containers')`. */
export interface ContainerSupport {
  image: string | null;
  error: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    containers: ContainerSupport;
  }
}

/**
 * Provisions the Docker engine and the base image once for the whole run, the way
 * `npm run drill` does. A failure is not thrown here, where it would abort every test:
 * it is handed to the integration tests, which then fail with the reason.
 */
export default async function setup(project: TestProject): Promise<void> {
  configureTestcontainers();
  try {
    const settings = loadSettings();
    const progress = createProgress();
    await ensureEngine(settings, progress);
    const image = await ensureBaseImage(settings, progress);
    project.provide('containers', { image, error: null });
  } catch (error) {
    const message = error instanceof Error ? `${error.message}${'hint' in error && error.hint ? ` (fix: ${String(error.hint)})` : ''}` : String(error);
    project.provide('containers', { image: null, error: message });
  }
}
