import { execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { errnoName } from './errno.js';

/** Result of probing one path from inside the client. */
export interface PathProbe {
  path: string;
  ok: boolean;
  /** errno of the first failing call (stat, then listdir); 0 when ok or hung. */
  errno: number;
  errnoName: string;
  message: string;
  /** True when stat or listdir did not return within the probe timeout. */
  hung: boolean;
  /** The call that failed or hung: `stat` or `listdir`. */
  operation: string;
  durationMs: number;
}

/**
 * Probe run with python3 inside the client. Each path is probed in its own child process with
 * a timeout, because a call blocked on a hung FUSE mount cannot be interrupted from the same
 * process. A child blocked in the kernel does not die of SIGKILL until its request ends, so it
 * is abandoned, never waited for.
 */
export const pathProbeScript = String.raw`
import json, os, subprocess, sys, time
timeout = float(sys.argv[1])
child = r'''
import json, os, sys
operation = "stat"
try:
    os.stat(sys.argv[1])
    operation = "listdir"
    os.listdir(sys.argv[1])
    print(json.dumps({"errno": 0, "message": "", "operation": ""}))
except OSError as error:
    print(json.dumps({"errno": error.errno or 0, "message": error.strerror or str(error), "operation": operation}))
'''
results = []
# All paths are probed at once, so one hung path costs the timeout once, not once per path.
started = time.monotonic()
processes = [(path, subprocess.Popen([sys.executable, "-c", child, path], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)) for path in sys.argv[2:]]
for path, process in processes:
    try:
        output, _ = process.communicate(timeout=max(0.0, started + timeout - time.monotonic()))
        outcome = json.loads(output or b'{"errno": -1, "message": "probe printed nothing", "operation": ""}')
        outcome["hung"] = False
    except subprocess.TimeoutExpired:
        process.kill()
        outcome = {"errno": 0, "message": "no answer within %.1f s" % timeout, "operation": "stat or listdir", "hung": True}
    outcome["path"] = path
    outcome["durationMs"] = round((time.monotonic() - started) * 1000, 1)
    results.append(outcome)
print(json.dumps(results))
`;

interface RawProbe {
  path: string;
  errno: number;
  message: string;
  operation: string;
  hung: boolean;
  durationMs: number;
}

/** Parses the JSON printed by the probe script. */
export function parsePathProbes(output: string): PathProbe[] {
  const raw = JSON.parse(output) as RawProbe[];
  return raw.map((entry) => ({
    path: entry.path,
    ok: !entry.hung && entry.errno === 0,
    errno: entry.errno,
    errnoName: probeOutcomeName(entry),
    message: entry.message,
    hung: entry.hung,
    operation: entry.operation,
    durationMs: entry.durationMs,
  }));
}

function probeOutcomeName(entry: RawProbe): string {
  if (entry.hung) {
    return 'hung';
  }
  if (entry.errno === 0) {
    return 'ok';
  }
  return errnoName(entry.errno);
}

/** Stats and lists each path from inside a container, each in a child process with a timeout. */
export async function probePaths(containerId: string, paths: string[], timeoutSeconds = 3): Promise<PathProbe[]> {
  const budgetMs = (timeoutSeconds + 1) * 1000 + 5_000;
  const result = await execInContainer(containerId, ['python3', '-c', pathProbeScript, String(timeoutSeconds), ...paths], { timeoutMs: budgetMs });
  if (result.exitCode !== 0) {
    throw new MountdrillError('EXEC_FAILED', `probing ${paths.join(', ')} failed with exit code ${result.exitCode}: ${result.stderr.trim()}`, {
      evidence: { stdout: result.stdout, stderr: result.stderr },
    });
  }
  return parsePathProbes(result.stdout);
}

/** Formats a probe as one line, for evidence and failure messages. */
export function describeProbe(probe: PathProbe): string {
  if (probe.ok) {
    return `${probe.path}: readable`;
  }
  if (probe.hung) {
    return `${probe.path}: hung (${probe.message})`;
  }
  return `${probe.path}: ${probe.operation} failed with ${probe.errnoName} (${probe.errno}, ${probe.message})`;
}
