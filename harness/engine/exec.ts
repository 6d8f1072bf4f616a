import { PassThrough } from 'node:stream';
import { pack } from 'tar-stream';
import { docker } from './docker.js';
import { MountdrillError } from '../errors.js';
import { debugLog } from '../log.js';

const log = debugLog('exec');

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the command was killed at its timeout. */
  timedOut: boolean;
  durationMs: number;
}

export interface ExecOptions {
  /** Kill the command after this many milliseconds (default 30 s). */
  timeoutMs?: number;
  environment?: Record<string, string>;
}

/** Exit status of coreutils `timeout -s KILL` when it killed the command. */
const killedByTimeout = 137;

/**
 * Runs a command inside a container and collects its output. The command is wrapped in
 * coreutils `timeout -s KILL`, because a process blocked on a hung FUSE mount would
 * otherwise keep the exec, and the drill, waiting forever.
 */
export async function execInContainer(containerId: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const started = performance.now();
  const container = docker().getContainer(containerId);
  const exec = await container.exec({
    Cmd: ['timeout', '-s', 'KILL', String(seconds), ...argv],
    AttachStdout: true,
    AttachStderr: true,
    Env: Object.entries(options.environment ?? {}).map(([key, value]) => `${key}=${value}`),
  });
  const stream = await exec.start({ hijack: true, stdin: false });

  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdoutChunks: Buffer[] = [];
  const stderrChunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
  stderr.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
  docker().modem.demuxStream(stream, stdout, stderr);

  // The in-container timeout normally ends the stream; this guard covers an exec that Docker never closes.
  const ended = await new Promise<boolean>((resolve) => {
    const guard = setTimeout(() => resolve(false), timeoutMs + 5_000);
    stream.on('end', () => {
      clearTimeout(guard);
      resolve(true);
    });
    stream.on('error', (error) => {
      log('exec stream error in %s: %O', containerId.slice(0, 12), error);
      clearTimeout(guard);
      resolve(true);
    });
  });

  stream.destroy();
  const inspection = ended ? await exec.inspect() : undefined;
  const exitCode = inspection?.ExitCode ?? -1;
  const durationMs = performance.now() - started;
  const result: ExecResult = {
    exitCode,
    stdout: Buffer.concat(stdoutChunks).toString('utf8'),
    stderr: Buffer.concat(stderrChunks).toString('utf8'),
    timedOut: !ended || (exitCode === killedByTimeout && durationMs >= seconds * 1000 - 50),
    durationMs,
  };
  log('%s: %o -> %d in %d ms', containerId.slice(0, 12), argv, result.exitCode, Math.round(durationMs));
  return result;
}

/** Runs a command and throws EXEC_FAILED, with its output as evidence, unless it exits 0. */
export async function execChecked(containerId: string, argv: string[], action: string, options: ExecOptions = {}): Promise<ExecResult> {
  const result = await execInContainer(containerId, argv, options);
  if (result.exitCode !== 0) {
    const reason = result.timedOut ? `timed out after ${options.timeoutMs ?? 30_000} ms` : `exited with code ${result.exitCode}`;
    throw new MountdrillError('EXEC_FAILED', `${action} failed: \`${argv.join(' ')}\` ${reason}: ${(result.stderr || result.stdout).trim().slice(0, 2000)}`, {
      evidence: { command: argv, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr },
    });
  }
  return result;
}

/** Starts a command in the background inside a container and returns at once. */
export async function execDetached(containerId: string, argv: string[]): Promise<void> {
  const exec = await docker().getContainer(containerId).exec({ Cmd: argv, AttachStdout: false, AttachStderr: false });
  const response = await exec.start({ Detach: true });
  // Docker returns from a detached start at once, but the response must still be drained and
  // closed, or its socket keeps the Node.js process alive.
  response.resume();
  response.on('end', () => response.destroy());
}

export interface FileToWrite {
  path: string;
  content: string | Buffer;
  mode?: number;
  /** Numeric owner; 0 (root) by default. */
  uid?: number;
  gid?: number;
}

/** Writes files into a container through a tar archive; missing parent directories are created. */
export async function writeFilesInContainer(containerId: string, files: FileToWrite[]): Promise<void> {
  const archive = pack();
  for (const file of files) {
    const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    archive.entry({ name: file.path.replace(/^\/+/, ''), mode: file.mode ?? 0o644, uid: file.uid ?? 0, gid: file.gid ?? 0 }, content);
  }
  archive.finalize();
  await docker().getContainer(containerId).putArchive(archive as unknown as NodeJS.ReadableStream, { path: '/' });
}
