import createDebug from 'debug';

/**
 * Debug logs, enabled with `DEBUG=mountdrill:*`. User-facing progress goes
 * through `progress` instead, so the two never mix.
 */
export function debugLog(namespace: string): createDebug.Debugger {
  return createDebug(`mountdrill:${namespace}`);
}

/** A destination for text: a terminal, a file or a buffer in a test. */
export interface Sink {
  write(text: string): void;
}

export const stderrSink: Sink = {
  write(text) {
    process.stderr.write(text);
  },
};

/** Human progress lines on stderr; stdout carries the TAP stream. */
export interface Progress {
  info(message: string): void;
  warn(message: string): void;
}

export function createProgress(sink: Sink = stderrSink, quiet = false): Progress {
  return {
    info(message) {
      if (!quiet) {
        sink.write(`# ${message}\n`);
      }
    },
    warn(message) {
      sink.write(`# warning: ${message}\n`);
    },
  };
}

export const silentProgress: Progress = { info() {}, warn() {} };
