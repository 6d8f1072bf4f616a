import { creations } from '../engine/creations.js';
import { docker } from '../engine/docker.js';
import { managedLabel, runLabel } from '../labels.js';
import { debugLog } from '../log.js';
import { describeHealOutcome, type PendingHeals } from './pending-heals.js';

const log = debugLog('cleanup');

export interface CleanupReport {
  containers: string[];
  networks: string[];
  volumes: string[];
  errors: string[];
}

/**
 * Removes every container, network and volume carrying the label filter: one run's
 * (`dev.mountdrill.run=<id>`) or, without a run id, everything mountdrill created.
 * Errors are collected and logged, never thrown, so cleanup cannot hide a drill's own error.
 */
export async function removeLabelled(runId?: string): Promise<CleanupReport> {
  const label = runId ? `${runLabel}=${runId}` : `${managedLabel}=true`;
  const filters = JSON.stringify({ label: [label] });
  const report: CleanupReport = { containers: [], networks: [], volumes: [], errors: [] };
  const attempt = async (what: string, action: () => Promise<unknown>): Promise<boolean> => {
    try {
      await action();
      return true;
    } catch (error) {
      const message = `removing ${what} failed: ${error instanceof Error ? error.message : String(error)}`;
      log(message);
      report.errors.push(message);
      return false;
    }
  };

  const containers = await docker().listContainers({ all: true, filters }).catch((error: unknown) => {
    report.errors.push(`listing containers failed: ${String(error)}`);
    return [];
  });
  for (const container of containers) {
    const name = container.Names[0]?.replace(/^\//, '') ?? container.Id.slice(0, 12);
    if (await attempt(`container ${name}`, () => docker().getContainer(container.Id).remove({ force: true, v: true }))) {
      report.containers.push(name);
    }
  }

  const networks = await docker().listNetworks({ filters }).catch((error: unknown) => {
    report.errors.push(`listing networks failed: ${String(error)}`);
    return [];
  });
  for (const network of networks) {
    if (await attempt(`network ${network.Name}`, () => docker().getNetwork(network.Id).remove())) {
      report.networks.push(network.Name);
    }
  }

  const volumes = await docker().listVolumes({ filters }).catch((error: unknown) => {
    report.errors.push(`listing volumes failed: ${String(error)}`);
    return { Volumes: [] };
  });
  for (const volume of volumes.Volumes ?? []) {
    if (await attempt(`volume ${volume.Name}`, () => docker().getVolume(volume.Name).remove())) {
      report.volumes.push(volume.Name);
    }
  }
  return report;
}

/** How long an interrupt waits for the heals of injected faults before it removes the containers. */
export const interruptHealTimeoutMs = 30_000;

/** Maximum time an interrupt waits for containers and networks still being created, the storage server's startup timeout. */
const interruptCreationTimeoutMs = 30_000;

/** Callbacks of an interrupted run: `onSignal` runs at once, `beforeRemoval` before the run's resources are removed. */
export interface InterruptHooks {
  onSignal: (signal: NodeJS.Signals) => void;
  beforeRemoval: (signal: NodeJS.Signals) => Promise<void>;
}

/**
 * Handles SIGINT and SIGTERM for a run: heals every fault still registered in `pending`, waits for
 * creations in flight and rejects new ones, runs `hooks.beforeRemoval`, removes the run's
 * resources, then exits with 130 or 143. A second signal exits at once and names the command
 * that removes what is left. Returns a function that uninstalls the handlers.
 */
export function removeOnSignal(runId: string, pending: PendingHeals, hooks: InterruptHooks): () => void {
  let handling: NodeJS.Signals | undefined;
  const exitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);
  const handler = (signal: NodeJS.Signals): void => {
    if (handling) {
      process.stderr.write(`# ${signal} again: exiting without cleanup; remove what is left with: npx mountdrill clean --run ${runId}\n`);
      process.exit(exitCode(signal));
    }
    handling = signal;
    hooks.onSignal(signal);
    const faults = pending.faults;
    if (faults.length > 0) {
      process.stderr.write(`# interrupted by ${signal}: healing fault ${faults.join(', ')} (at most ${interruptHealTimeoutMs / 1000} s; send it again to skip)\n`);
    }
    void (async () => {
      for (const outcome of await pending.healAll(interruptHealTimeoutMs)) {
        process.stderr.write(`# ${describeHealOutcome(outcome)}\n`);
      }
      const unfinished = await creations.close(signal, interruptCreationTimeoutMs);
      if (unfinished > 0) {
        process.stderr.write(`# ${unfinished} container or network creation(s) still running after ${interruptCreationTimeoutMs / 1000} s; if one outlives the run, remove it with: npx mountdrill clean --run ${runId}\n`);
      }
      await hooks.beforeRemoval(signal).catch((error: unknown) => {
        process.stderr.write(`# interrupted by ${signal}: writing the reports failed: ${error instanceof Error ? error.message : String(error)}\n`);
      });
      const report = await removeLabelled(runId);
      process.stderr.write(`# interrupted by ${signal}: removed ${report.containers.length} container(s) and ${report.networks.length} network(s) of run ${runId}\n`);
      for (const error of report.errors) {
        process.stderr.write(`# cleanup: ${error}\n`);
      }
    })()
      .catch((error: unknown) => {
        process.stderr.write(`# interrupted by ${signal}: cleanup failed: ${error instanceof Error ? error.message : String(error)}; remove what is left with: npx mountdrill clean --run ${runId}\n`);
      })
      .finally(() => process.exit(exitCode(signal)));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
