import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import type { SystemProfile } from '../config/system-profile.js';
import { configureTestcontainers } from '../engine/docker.js';
import { ensureEngine } from '../engine/provision.js';
import { ensureBaseImage } from '../images/ensure-image.js';
import { prepareAlerting, type PreparedAlerting } from '../alerting/prepare.js';
import { validateAlerting } from '../alerting/validate.js';
import type { DrillJournal } from '../journal/journal.js';
import type { Progress, Sink } from '../log.js';
import { buildRunReport, verdictLine, type RunReport } from '../reporters/json-report.js';
import { writeJunitFromTap } from '../reporters/junit.js';
import { noDrillPassedPoint, testPointFor } from '../reporters/step-point.js';
import { TapWriter } from '../reporters/tap.js';
import { removeLabelled, removeOnSignal } from './cleanup.js';
import { systemClock, type Clock } from './clock.js';
import type { DrillDefinition } from './drill.js';
import { runDrill } from './run-drill.js';
import { PendingHeals } from './pending-heals.js';
import { newRunId } from './run-id.js';
import { toolVersion } from './tool-version.js';

export interface RunOptions {
  drills: DrillDefinition[];
  profile: SystemProfile;
  settings: Settings;
  /** Receives the TAP stream as steps finish (stdout in the CLI). */
  tapSink: Sink;
  progress: Progress;
  runId?: string;
  clock?: Clock;
  /** Whether SIGINT and SIGTERM remove the run's resources and exit (the CLI sets this). */
  handleSignals?: boolean;
}

export interface RunResult {
  runId: string;
  report: RunReport;
  journals: DrillJournal[];
  tap: string;
  files: { tap: string; junit: string; json: string };
}

/**
 * Runs drills against one system: provisions the engine and base image when needed, runs each
 * drill on its own topology, streams TAP, and writes drill.tap, junit.xml and report.json.
 */
export async function runDrills(options: RunOptions): Promise<RunResult> {
  const runId = options.runId ?? newRunId();
  const clock = options.clock ?? systemClock;
  const { progress, settings, profile } = options;
  const startedAt = new Date(clock.wallNow()).toISOString();
  const tap = new TapWriter(options.tapSink);
  progress.info(`mountdrill run ${runId}: ${options.drills.length} drill(s) against system ${profile.name}`);

  configureTestcontainers();
  await removeReports(settings.reportsDir);
  // Installed before provisioning, so an interrupt during an image build also removes the run's containers.
  const pendingHeals = new PendingHeals();
  let currentDrill: string | undefined;
  const uninstall = options.handleSignals
    ? removeOnSignal(runId, pendingHeals, {
        onSignal: (signal) => interruptTap(tap, signal, currentDrill),
        beforeRemoval: async () => {
          const files = await writeTapReports(settings.reportsDir, tap.output);
          progress.warn(`Reports of the interrupted run: ${files.junit}, ${files.tap} (no report.json: the run did not finish)`);
        },
      })
    : () => undefined;
  let engineVersion: string | undefined;
  let image: string;
  let alerting: PreparedAlerting | undefined;
  try {
    alerting = prepareAlerting(profile);
    engineVersion = (await ensureEngine(settings, progress)).version;
    image = await ensureBaseImage(settings, progress);
    if (alerting) {
      progress.info(`Validating ${alerting.ruleFiles.length} rule file(s) with promtool and the Alertmanager configuration with amtool`);
      await validateAlerting(alerting, image, runId);
    }
  } catch (error) {
    uninstall();
    tap.bailOut(error instanceof Error ? error.message : String(error));
    throw error;
  }
  progress.info(`Run ${runId}: engine ${engineVersion}, image ${image}`);

  const journals: DrillJournal[] = [];
  try {
    for (const drill of options.drills) {
      currentDrill = drill.name;
      const journal = await runDrill({
        drill,
        profile,
        runId,
        image,
        clock,
        progress,
        pendingHeals,
        listener: { stepFinished: (name, step) => tap.point(testPointFor(name, step)) },
        ...(alerting ? { alerting } : {}),
      });
      journals.push(journal);
      if (journal.unavailable !== undefined) {
        progress.warn(`Drill ${drill.name}: unavailable on this host, nothing was tested: ${journal.unavailable}`);
      } else {
        progress.info(`Drill ${drill.name}: ${journal.verdict}`);
      }
    }
  } finally {
    uninstall();
    // Topologies remove themselves; this sweep catches what a failed removal left behind.
    const leftovers = await removeLabelled(runId);
    if (leftovers.containers.length + leftovers.networks.length + leftovers.volumes.length > 0) {
      progress.warn(`removed leftovers of run ${runId}: ${[...leftovers.containers, ...leftovers.networks, ...leftovers.volumes].join(', ')}`);
    }
    for (const error of leftovers.errors) {
      progress.warn(`cleanup: ${error}`);
    }
  }
  const noDrillPassed = noDrillPassedPoint(journals);
  if (noDrillPassed) {
    tap.point(noDrillPassed);
  }
  tap.end();

  const report = buildRunReport(
    {
      runId,
      tool: { name: 'mountdrill', version: toolVersion() },
      startedAt,
      finishedAt: new Date(clock.wallNow()).toISOString(),
      system: { name: profile.name, directory: profile.directory },
      image,
      imageSource: settings.imageSource,
      engineVersion,
      alerting: alerting
        ? {
            timeScale: alerting.timeScale,
            scrapeIntervalMs: alerting.scrapeIntervalMs,
            evaluationIntervalMs: alerting.evaluationIntervalMs,
            ruleFiles: alerting.ruleFiles.map((file) => ({ source: file.source, rewritten: file.content !== file.original })),
            alertmanagerConfig: alerting.alertmanager.source,
            redirectedReceivers: alerting.redirectedReceivers,
          }
        : null,
    },
    journals,
  );
  const files = await writeReports(settings.reportsDir, tap.output, report);
  progress.info(`Reports: ${files.json}, ${files.junit}, ${files.tap}`);
  progress.info(`Verdict: ${verdictLine(report)}`);
  return { runId, report, journals, tap: tap.output, files };
}

const reportFileNames = ['drill.tap', 'junit.xml', 'report.json'];

/**
 * Removes the reports of an earlier run before this one starts, so that a run that ends early
 * (interrupted, or no engine) never leaves a previous run's passing junit.xml for CI to read.
 */
export async function removeReports(directory: string): Promise<void> {
  await Promise.all(reportFileNames.map((name) => rm(path.join(directory, name), { force: true })));
}

async function writeReports(directory: string, tapText: string, report: RunReport): Promise<RunResult['files']> {
  const files = await writeTapReports(directory, tapText);
  const json = path.join(directory, 'report.json');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  return { ...files, json };
}

/** Writes drill.tap and its JUnit conversion, junit.xml. */
async function writeTapReports(directory: string, tapText: string): Promise<{ tap: string; junit: string }> {
  await mkdir(directory, { recursive: true });
  const files = { tap: path.join(directory, 'drill.tap'), junit: path.join(directory, 'junit.xml') };
  await writeFile(files.tap, tapText);
  await writeJunitFromTap(tapText, files.junit);
  return files;
}

/**
 * Ends the TAP stream of an interrupted run with a failed point, then a bail out. tap-junit drops
 * the bail-out line, and without the failed point a run stopped between passing steps would
 * convert to a JUnit report without failures.
 */
function interruptTap(tap: TapWriter, signal: NodeJS.Signals, drill: string | undefined): void {
  const where = drill ? `during drill ${drill}` : 'before the first drill';
  tap.point({
    ok: false,
    description: `run interrupted by ${signal} ${where}`,
    diagnostics: { message: `the run was interrupted by ${signal} ${where}; the step in progress and the steps after it did not finish` },
  });
  tap.bailOut(`interrupted by ${signal}`);
}
