import path from 'node:path';
import { z } from 'zod';
import { MountdrillError } from '../errors.js';

export const imageSources = ['registry', 'debootstrap', 'auto'] as const;
export type ImageSource = (typeof imageSources)[number];

/** Process-wide settings, read from the environment. */
export interface Settings {
  /**
   * Source of the base image. `debootstrap` never contacts a container registry, so it is
   * the default; `registry` and `auto` pull `debian:bookworm-slim`.
   */
  imageSource: ImageSource;
  /** Debian mirror for debootstrap. */
  debianMirror: string;
  /** Whether a missing Docker engine may be installed and started. */
  provision: boolean;
  /** Directory for report.json, junit.xml and drill.tap. */
  reportsDir: string;
}

const environmentSchema = z.object({
  MOUNTDRILL_IMAGE_SOURCE: z.enum(imageSources).default('debootstrap'),
  MOUNTDRILL_DEBIAN_MIRROR: z.url({ protocol: /^https?$/ }).default('http://deb.debian.org/debian'),
  MOUNTDRILL_NO_PROVISION: z.enum(['', '0', '1', 'true', 'false']).default(''),
  MOUNTDRILL_REPORTS_DIR: z.string().min(1).default('reports'),
});

export function loadSettings(environment: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'environment');
    throw new MountdrillError('CONFIG_INVALID', `invalid environment variable ${key}=${JSON.stringify(environment[key])}: ${issue?.message}`, {
      hint: `set ${key} to a valid value or unset it (see "Settings" in the README)`,
    });
  }
  const values = parsed.data;
  return {
    imageSource: values.MOUNTDRILL_IMAGE_SOURCE,
    debianMirror: values.MOUNTDRILL_DEBIAN_MIRROR,
    provision: !['1', 'true'].includes(values.MOUNTDRILL_NO_PROVISION),
    reportsDir: path.resolve(cwd, values.MOUNTDRILL_REPORTS_DIR),
  };
}
