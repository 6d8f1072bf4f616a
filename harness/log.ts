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

/**
 * Returns a sink that writes to `stream` until its reader goes away. A closed pipe
 * (`mountdrill run | head`) makes Node emit EPIPE as an unhandled error, which would end a run
 * before its teardown removed the containers. After EPIPE the sink drops what it gets and calls
 * `onClosed` once; any other stream error is thrown as before.
 */
export function pipeSink(stream: NodeJS.WritableStream, onClosed: () => void = () => {}): Sink {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      throw error;
    }
    if (!closed) {
      closed = true;
      onClosed();
    }
  });
  return {
    write(text) {
      if (!closed) {
        stream.write(text);
      }
    },
  };
}

export const stderrSink: Sink = pipeSink(process.stderr);

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
