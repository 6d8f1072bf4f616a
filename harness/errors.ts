/**
 * Stable error codes. Each maps to a process exit code (see `exitCodeFor`)
 * and is documented in the README.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'ENGINE_UNAVAILABLE'
  | 'PROVISION_FAILED'
  | 'IMAGE_BUILD_FAILED'
  | 'IMAGE_MISSING'
  | 'TOPOLOGY_FAILED'
  | 'FAULT_FAILED'
  | 'EXEC_FAILED'
  | 'INTERRUPTED';

/** Process exit codes of the CLI. */
export const ExitCode = {
  ready: 0,
  notReady: 1,
  invalidInput: 2,
  environment: 3,
  interruptedBySigint: 130,
  interruptedBySigterm: 143,
} as const;

export interface MountdrillErrorOptions {
  /** Next step for the user: a command or a setting that fixes the problem. */
  hint?: string;
  /** Values that show what went wrong: command output, file contents, the offending value. */
  evidence?: Record<string, unknown>;
  cause?: unknown;
}

/** An error with a stable code, the evidence behind it and a suggested fix. */
export class MountdrillError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly evidence: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: MountdrillErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MountdrillError';
    this.code = code;
    this.hint = options.hint;
    this.evidence = options.evidence ?? {};
  }
}

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof MountdrillError)) {
    return ExitCode.environment;
  }
  switch (error.code) {
    case 'CONFIG_INVALID':
    case 'USAGE':
      return ExitCode.invalidInput;
    case 'INTERRUPTED':
      return ExitCode.interruptedBySigint;
    default:
      return ExitCode.environment;
  }
}

/** Formats an error for a terminal: message, then the hint on its own line. */
export function describeError(error: unknown): string {
  if (error instanceof MountdrillError) {
    const lines = [`mountdrill: ${error.message}`];
    if (error.hint) {
      lines.push(`  fix: ${error.hint}`);
    }
    return lines.join('\n');
  }
  if (error instanceof Error) {
    return `mountdrill: ${error.stack ?? error.message}`;
  }
  return `mountdrill: ${String(error)}`;
}
