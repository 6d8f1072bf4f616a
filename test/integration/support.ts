import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, inject, type TestContext } from 'vitest';
import { staleHotPath } from '../../drills/stale-hot-path.js';
import { loadSettings, type Settings } from '../../harness/config/settings.js';
import { loadSystemProfile } from '../../harness/config/system-profile.js';
import { silentProgress } from '../../harness/log.js';
import type { DrillDefinition } from '../../harness/runner/drill.js';
import { runDrills } from '../../harness/runner/run.js';
import { docker } from '../../harness/engine/docker.js';
import { runLabel } from '../../harness/labels.js';

/** Returns the base image, or throws why containers cannot be had, so that the test fails rather than skips. */
export function requireContainers(): string {
  const support = inject('containers');
  if (!support.image) {
    throw new Error(`container tests need a Docker engine and the base image: ${support.error}`);
  }
  return support.image;
}

export async function temporaryReportsSettings(): Promise<Settings> {
  const reportsDir = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-test-reports-'));
  return { ...loadSettings(), reportsDir };
}

/** Containers and networks that still carry the run's label. */
export async function leftoversOfRun(runId: string): Promise<{ containers: string[]; networks: string[] }> {
  const filters = JSON.stringify({ label: [`${runLabel}=${runId}`] });
  const containers = await docker().listContainers({ all: true, filters });
  const networks = await docker().listNetworks({ filters });
  return { containers: containers.map((container) => container.Names.join(',')), networks: networks.map((network) => network.Name) };
}

/** tc's error message when netem is missing, from the kernel ("qdisc kind is unknown") or from tc's own build. */
export const tcNetemMissingMessage = /: (Error: Specified qdisc kind is unknown|Unknown qdisc "?netem)/;

/** Returns whether the host kernel has the netem queueing discipline loaded, read apart from the harness. */
export function hostHasNetem(): boolean {
  return existsSync('/sys/module/sch_netem');
}

/**
 * Skips the running test because this host cannot do what it needs, and keeps the reason in the
 * test's metadata, where .ci/run reads it from the JSON results and prints it.
 */
export function skipUnavailable(context: TestContext, reason: string): never {
  (context.task.meta as Record<string, unknown>).unavailable = reason;
  return context.skip(reason);
}

export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');
export const referenceSystemDirectory = path.join(repositoryRoot, 'fixtures', 'reference-system');
export const testFixturesDirectory = path.join(repositoryRoot, 'test', 'fixtures');

/**
 * Copies the reference system to a temporary directory and lets the test edit it, so a test can
 * break one rule or route without touching the shipped fixture.
 */
export async function referenceVariant(edit: (directory: string) => Promise<void>): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'mountdrill-variant-'));
  await cp(referenceSystemDirectory, directory, { recursive: true });
  await edit(directory);
  return directory;
}

/** Replaces text in a file of a variant, failing the test when the text is not there. */
export async function replaceInFile(file: string, search: string, replacement: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(search)) {
    throw new Error(`${file} does not contain ${JSON.stringify(search)}`);
  }
  await writeFile(file, text.replace(search, replacement));
}

/** Runs one drill against a system directory, checks that the run left nothing behind, and returns the drill's report. */
export async function runDrillAgainst(directory: string, drill: DrillDefinition = staleHotPath) {
  return (await runDrillsAgainst(directory, [drill])).report.drills[0]!;
}

/** Runs drills against the system in `directory` with reports in a temporary directory, and checks that nothing is left. */
export async function runDrillsAgainst(directory: string, drills: DrillDefinition[]) {
  const settings = await temporaryReportsSettings();
  const result = await runDrills({ drills, profile: loadSystemProfile(directory), settings, tapSink: { write: () => undefined }, progress: silentProgress });
  expect(await leftoversOfRun(result.runId)).toEqual({ containers: [], networks: [] });
  return result;
}
