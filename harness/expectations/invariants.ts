import path from 'node:path/posix';
import { execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { checksumFiles, compareChecksums } from '../observers/checksums.js';
import { errnoName } from '../observers/errno.js';
import { readJsonLines } from '../observers/json-lines.js';
import type { DrillContext } from '../runner/context.js';
import { pollUntil } from '../runner/poll.js';
import { isInside, mountOrder, relativeToBase } from '../topology/manifest.js';
import type { Expectation } from './expectation.js';

/** errno values the worker must treat as infrastructure errors, never spending a retry on them. */
const infrastructureErrnos = new Set([5, 107, 110, 116]);

/** A completed write as the worker journals it. */
interface JournalEntry {
  path: string;
  size: number;
  sha256: string;
}

interface JobStore {
  jobs: Array<{ id: string; state: string; budgetSpent?: Array<{ errno: number | null; message: string }> }>;
}

function workerOf(context: DrillContext): NonNullable<DrillContext['profile']['worker']> {
  const worker = context.profile.worker;
  if (!worker) {
    throw new MountdrillError('CONFIG_INVALID', `system ${context.profile.name} declares no worker`, { hint: 'add worker (journal, jobStore) to system.yaml' });
  }
  return worker;
}

/** Maps a client path under a hot path or the base mount to the file on the storage server. */
export function serverPathOf(context: Pick<DrillContext, 'profile' | 'topology'>, clientPath: string): string | undefined {
  const { baseMount, remotePath } = context.profile.storage;
  const binding = [...context.profile.bindings].sort((a, b) => b.hot.length - a.hot.length).find((entry) => isInside(clientPath, entry.hot));
  if (binding) {
    return path.join(remotePath, relativeToBase(binding.cold, baseMount), path.relative(binding.hot, clientPath));
  }
  return isInside(clientPath, baseMount) ? path.join(remotePath, path.relative(baseMount, clientPath)) : undefined;
}

async function readJson<T>(context: DrillContext, file: string): Promise<T> {
  const result = await execInContainer(context.topology.client.id, ['cat', file], { timeoutMs: 10_000 });
  if (result.exitCode !== 0) {
    throw new MountdrillError('EXEC_FAILED', `reading ${file} in the client failed: ${result.stderr.trim()}`);
  }
  return JSON.parse(result.stdout) as T;
}

function readJournal(context: DrillContext): Promise<JournalEntry[]> {
  return readJsonLines<JournalEntry>(context.topology.client.id, workerOf(context).journal);
}

/** Expects every file seeded before the fault to be on the server with its SHA-256. */
export function seededFilesIntact(): Expectation {
  return {
    id: 'invariant-seed-intact',
    title: 'every file present before the fault still has its SHA-256 on the server',
    deadlineMs: () => 30_000,
    async evaluate(context) {
      const expected = new Map(context.topology.seed.map((file) => [path.join(context.profile.storage.remotePath, file.relativePath), file.sha256]));
      const mismatches = compareChecksums(expected, await checksumFiles(context.topology.server.id, [...expected.keys()]));
      return mismatches.length === 0
        ? { ok: true, message: `${expected.size} seeded file(s) intact on the server`, evidence: {}, waitedMs: 0 }
        : { ok: false, message: `${mismatches.length} seeded file(s) changed or missing on the server`, evidence: { mismatches }, waitedMs: 0 };
    },
  };
}

/** Expects every write the worker journalled as completed to be on the server with that SHA-256. */
export function journalledWritesOnServer(): Expectation {
  return {
    id: 'invariant-journalled-writes',
    title: "every write the worker journalled is on the server with its SHA-256",
    needsWorker: true,
    deadlineMs: () => 30_000,
    async evaluate(context) {
      const journal = await readJournal(context);
      const expected = new Map<string, string>();
      const unmapped: string[] = [];
      for (const entry of journal) {
        const serverPath = serverPathOf(context, entry.path);
        if (serverPath) {
          expected.set(serverPath, entry.sha256);
        } else {
          unmapped.push(entry.path);
        }
      }
      const mismatches = compareChecksums(expected, expected.size > 0 ? await checksumFiles(context.topology.server.id, [...expected.keys()]) : []);
      if (journal.length === 0) {
        return { ok: false, message: `the worker journalled no write in ${workerOf(context).journal}, so nothing shows data survived`, evidence: {}, waitedMs: 0 };
      }
      if (mismatches.length > 0 || unmapped.length > 0) {
        return { ok: false, message: `${mismatches.length + unmapped.length} of ${journal.length} journalled write(s) are not on the server as written`, evidence: { mismatches, outsideStorage: unmapped }, waitedMs: 0 };
      }
      return { ok: true, message: `${journal.length} journalled write(s) on the server with matching SHA-256`, evidence: {}, waitedMs: 0, detail: { journalledWrites: journal.length } };
    },
  };
}

/** Expects no job to have spent retry budget on ENOTCONN, EIO, ETIMEDOUT or ESTALE. */
export function retryBudgetKeptOnInfrastructureErrors(): Expectation {
  return {
    id: 'invariant-retry-budget',
    title: 'no job spent its retry budget on an infrastructure error',
    needsWorker: true,
    deadlineMs: () => 10_000,
    async evaluate(context) {
      const store = await readJson<JobStore>(context, workerOf(context).jobStore);
      const spent = store.jobs.flatMap((job) =>
        (job.budgetSpent ?? []).filter((attempt) => attempt.errno !== null && infrastructureErrnos.has(attempt.errno)).map((attempt) => `${job.id}: ${errnoName(attempt.errno!)} (${attempt.message})`),
      );
      return spent.length === 0
        ? { ok: true, message: `${store.jobs.length} job(s), none spent a retry on an infrastructure error`, evidence: {}, waitedMs: 0 }
        : { ok: false, message: `${spent.length} retry(ies) spent on infrastructure errors`, evidence: { retries: spent }, waitedMs: 0 };
    },
  };
}

/** Expects the worker to journal new writes again after recovery, within the deadline. */
export function workerProgressing(options: { deadlineMs?: number } = {}): Expectation {
  return {
    id: 'worker-progressing',
    title: 'worker journals new writes again',
    needsWorker: true,
    deadlineMs: () => options.deadlineMs ?? 30_000,
    async evaluate(context, deadlineMs) {
      const before = (await readJournal(context)).length;
      const result = await pollUntil({ probe: () => readJournal(context), until: (journal) => journal.length > before, timeoutMs: deadlineMs, intervalMs: 250, clock: context.clock });
      if (result.ok) {
        return { ok: true, message: `journal grew from ${before} to ${result.value.length} write(s)`, evidence: {}, waitedMs: result.elapsedMs };
      }
      const evidence = await stalledWorkerEvidence(context);
      const state = evidence.workerState === undefined ? '' : `; ${context.profile.worker?.unit} is ${evidence.workerState}`;
      return { ok: false, message: `the worker journalled no new write within ${deadlineMs} ms (${before} before)${state}`, evidence, waitedMs: result.elapsedMs };
    },
  };
}

/** Evidence for a worker that does not write: its unit's state and the recovery's last actions. */
type StalledWorkerEvidence = {
  workerState?: string;
  lastRecoveryActions?: unknown[];
};

/**
 * Collects the worker unit's state, when the profile names the unit, and the last entries of the
 * recovery's action log, when the system has one.
 */
async function stalledWorkerEvidence(context: DrillContext): Promise<StalledWorkerEvidence> {
  const clientId = context.topology.client.id;
  const evidence: StalledWorkerEvidence = {};
  const unit = context.profile.worker?.unit;
  if (unit) {
    const result = await execInContainer(clientId, ['systemctl', 'is-active', unit], { timeoutMs: 10_000 });
    evidence.workerState = result.stdout.trim() || `unknown (exit code ${result.exitCode})`;
  }
  const actionLog = context.profile.recovery?.actionLog;
  if (actionLog) {
    evidence.lastRecoveryActions = (await readJsonLines<unknown>(clientId, actionLog).catch(() => [])).slice(-12);
  }
  return evidence;
}

/**
 * Expects nothing under the hot paths and the base mount on the client's own disk. It unmounts
 * them all (nested hot paths first) and lists what is left underneath, so it must come last:
 * a file there was written while the path was not mounted and never reached the server.
 */
export function noLocalWritesUnderMountpoints(): Expectation {
  return {
    id: 'invariant-no-local-writes',
    title: 'nothing written to local disk under a mountpoint',
    deadlineMs: () => 30_000,
    async evaluate(context) {
      const { client } = context.topology;
      const targets = [...mountOrder(context.profile.bindings).map((entry) => entry.hot).reverse(), context.profile.storage.baseMount];
      for (const target of targets) {
        // Repeated because a path can carry stacked mounts; a failure means nothing is mounted there any more.
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const result = await execInContainer(client.id, ['umount', '-l', target], { timeoutMs: 10_000 });
          if (result.exitCode !== 0) {
            break;
          }
        }
      }
      const listing = await execInContainer(client.id, ['find', ...targets, '-mindepth', '1', '-maxdepth', '3'], { timeoutMs: 10_000 });
      const found = listing.stdout.split('\n').filter(Boolean);
      return found.length === 0
        ? { ok: true, message: `${targets.length} mountpoint(s) empty on the local disk`, evidence: {}, waitedMs: 0 }
        : { ok: false, message: `${found.length} path(s) on the local disk under mountpoints: ${found.slice(0, 3).join(', ')}`, evidence: { localPaths: found }, waitedMs: 0 };
    },
  };
}
