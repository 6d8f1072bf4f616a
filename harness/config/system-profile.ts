import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MountdrillError } from '../errors.js';
import { assertColdPathsUnder, parseManifest, type BindEntry } from '../topology/manifest.js';

/** File name of a system profile inside its directory. */
export const profileFileName = 'system.yaml';

const absolutePath = z.string().regex(/^\//, 'must be an absolute path');

const pathMetric = z.strictObject({ name: z.string().min(1), pathLabel: z.string().min(1) });

const profileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
  description: z.string().optional(),
  storage: z.strictObject({
    remotePath: absolutePath,
    baseMount: absolutePath,
    sshfsOptions: z.array(z.string().regex(/^[^,\s]+$/, 'one option per entry, without commas or spaces')).default([]),
    /** Service unit that runs sshfs in the foreground for the base mount, as on production hosts. */
    baseMountUnit: z.string().regex(/^[a-zA-Z0-9@_.-]+\.service$/, 'must be a unit name ending in .service').default('storage-mount.service'),
    /** Whether the base mount's unit restarts sshfs when it exits with an error (Restart=on-failure). */
    restartOnFailure: z.boolean().default(true),
  }),
  manifest: z.strictObject({
    source: z.string().min(1),
    installPath: absolutePath,
  }),
  files: z
    .array(
      z.strictObject({
        source: z.string().min(1),
        target: absolutePath,
        mode: z.number().int().min(0).max(0o7777).default(0o644),
      }),
    )
    .default([]),
  detector: z.strictObject({
    command: z.array(z.string()).min(1),
    intervalSeconds: z.number().positive().max(3600),
    textfileDirectory: absolutePath,
    /** Seconds after which the detector gives up on a probe of a hung path; bounds the length of one run. */
    probeTimeoutSeconds: z.number().positive().max(600).optional(),
    metrics: z.strictObject({
      errno: pathMetric,
      lastRun: z.string().min(1),
      /** Per-path metric that is 1 when the probe of the path timed out (a hung mount). */
      timeout: pathMetric.optional(),
      /** Per-path metric that is 1 when the path is a mount point, 0 when the mount is missing. */
      mounted: pathMetric.optional(),
    }),
  }),
  /** systemd unit files of the system (workers, watchdogs), installed in the client's service manager. */
  services: z
    .strictObject({
      units: z.array(z.string().min(1)).default([]),
      /** Units started once the storage is mounted and the detector scheduled. */
      start: z.array(z.string().regex(/^[a-zA-Z0-9@_.-]+\.(service|timer)$/, 'must be a unit name ending in .service or .timer')).default([]),
    })
    .optional(),
  /**
   * Locations of the worker's state, for the no-data-lost invariants. The journal has one
   * JSON object per completed write ({path, size, sha256}); the job store is {jobs: [{id, state,
   * budgetSpent: [{errno, message}]}]}.
   */
  worker: z
    .strictObject({
      /** Service unit of the worker, which recovery must stop before unmounting and start after. */
      unit: z.string().regex(/^[a-zA-Z0-9@_.-]+\.service$/, 'must be a unit name ending in .service').optional(),
      journal: absolutePath,
      jobStore: absolutePath,
    })
    .optional(),
  /** The system's recovery automation (a watchdog), which drills let act instead of healing the fault themselves. */
  recovery: z
    .strictObject({
      /** Command that prints the planned recovery as JSON lines ({action, target}) and changes nothing. */
      dryRun: z.array(z.string()).min(1),
      /** JSON-lines log of the applied actions: {mode: "apply", action, target, ok}. */
      actionLog: absolutePath,
      /** The watchdog's own units, left out of the recovery actions a drill checks. */
      units: z.array(z.string()).default([]),
      /**
       * Seconds the system may take to make every hot path readable again, counted from the start
       * of the recovery step: right after the fault, or after the drill restored the environment.
       * It covers the watchdog's interval, the failures it waits for, and its actions.
       */
      deadlineSeconds: z.number().positive().max(3600).default(90),
      /** The watchdog's guards, which the watchdog-guards drill checks. */
      guards: z
        .strictObject({
          /** File whose absence disables the watchdog. */
          sentinel: absolutePath,
          /** File whose presence means a deploy is running and the watchdog must wait. */
          deployLock: absolutePath,
          cooldownSeconds: z.number().nonnegative(),
          maxAppliesPerHour: z.number().int().positive(),
          /** How long a guard must hold the watchdog back; longer than the watchdog takes to act without it. */
          holdSeconds: z.number().positive().default(25),
        })
        .optional(),
    })
    .optional(),
  alerting: z
    .strictObject({
      /** Prometheus rule files, loaded unchanged unless timeScale is above 1. */
      ruleFiles: z.array(z.string().min(1)).min(1),
      alertmanagerConfig: z.string().min(1),
      scrapeIntervalSeconds: z.number().positive().default(15),
      evaluationIntervalSeconds: z.number().positive().default(15),
      /** Divides rule and routing durations so production values run in seconds; 1 leaves them as written. */
      timeScale: z.number().min(1).max(3600).default(1),
      /** Names of the system's alerts that drills refer to by role. */
      alerts: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'roles are camelCase words'), z.string().min(1)).default({}),
      /** Names of the system's Alertmanager receivers that drills refer to by role. */
      receivers: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'roles are camelCase words'), z.string().min(1)).default({}),
    })
    .optional(),
});

export type SystemProfileFile = z.infer<typeof profileSchema>;

/** A validated system profile with its manifest parsed and file paths resolved. */
export interface SystemProfile extends SystemProfileFile {
  /** Directory the profile was loaded from; relative sources resolve against it. */
  directory: string;
  /** Text of the manifest as shipped, installed unchanged in the client. */
  manifestText: string;
  bindings: BindEntry[];
}

/**
 * Loads `<directory>/system.yaml`. Errors name the file, the key and the rule it broke.
 */
export function loadSystemProfile(directory: string): SystemProfile {
  const resolvedDirectory = path.resolve(directory);
  const file = path.join(resolvedDirectory, profileFileName);
  if (!existsSync(file)) {
    throw new MountdrillError('CONFIG_INVALID', `system profile not found: ${file}`, {
      hint: `pass --system with a directory that contains ${profileFileName}`,
    });
  }

  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new MountdrillError('CONFIG_INVALID', `invalid YAML in ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'fix the YAML syntax at the position given',
      cause: error,
    });
  }

  const parsed = profileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || '(top level)';
    throw new MountdrillError('CONFIG_INVALID', `invalid system profile ${file}: key ${key}: ${issue.message}`, {
      hint: `fix ${key} in ${file}`,
      evidence: { issues: parsed.error.issues.map((entry) => `${entry.path.join('.')}: ${entry.message}`) },
    });
  }
  const profile = parsed.data;

  const manifestFile = path.resolve(resolvedDirectory, profile.manifest.source);
  const manifestText = readRequiredFile(manifestFile, file, 'manifest.source');
  const bindings = parseManifest(manifestText, manifestFile);
  if (bindings.length === 0) {
    throw new MountdrillError('CONFIG_INVALID', `manifest ${manifestFile} lists no hot paths`, {
      hint: 'add at least one "<cold> <hot>" line',
    });
  }
  assertColdPathsUnder(bindings, profile.storage.baseMount, manifestFile);

  profile.files.forEach((entry, index) => {
    readRequiredFile(path.resolve(resolvedDirectory, entry.source), file, `files.${index}.source`);
  });
  profile.alerting?.ruleFiles.forEach((ruleFile, index) => {
    readRequiredFile(path.resolve(resolvedDirectory, ruleFile), file, `alerting.ruleFiles.${index}`);
  });
  profile.services?.units.forEach((unit, index) => {
    readRequiredFile(path.resolve(resolvedDirectory, unit), file, `services.units.${index}`);
  });
  if (profile.alerting) {
    readRequiredFile(path.resolve(resolvedDirectory, profile.alerting.alertmanagerConfig), file, 'alerting.alertmanagerConfig');
  }

  return { ...profile, directory: resolvedDirectory, manifestText, bindings };
}

/** Returns the alert name a profile gives for a role, or throws naming the missing key. */
export function alertNameFor(profile: SystemProfile, role: string): string {
  return nameForRole(profile, 'alerts', role);
}

/** Returns the receiver name a profile gives for a role, or throws naming the missing key. */
export function receiverNameFor(profile: SystemProfile, role: string): string {
  return nameForRole(profile, 'receivers', role);
}

function nameForRole(profile: SystemProfile, kind: 'alerts' | 'receivers', role: string): string {
  const name = profile.alerting?.[kind][role];
  if (!name) {
    const noun = kind === 'alerts' ? 'alert' : 'receiver';
    throw new MountdrillError('CONFIG_INVALID', `system profile ${profile.name} names no ${noun} for role ${role} (key alerting.${kind}.${role})`, {
      hint: `add alerting.${kind}.${role}: <${noun} name> to ${path.join(profile.directory, profileFileName)}`,
    });
  }
  return name;
}

function readRequiredFile(file: string, profileFile: string, key: string): string {
  if (!existsSync(file)) {
    throw new MountdrillError('CONFIG_INVALID', `file not found: ${file} (key ${key} of ${profileFile})`, {
      hint: `fix ${key}; relative paths resolve against the profile's directory`,
    });
  }
  return readFileSync(file, 'utf8');
}
