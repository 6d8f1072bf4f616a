import { stringify } from 'yaml';
import type { Sink } from '../log.js';

export interface TestPoint {
  ok: boolean;
  description: string;
  /** `SKIP` or `TODO` with its reason, per the TAP directive syntax. */
  directive?: { kind: 'SKIP' | 'TODO'; reason: string };
  /** YAML diagnostics block shown under the test point. */
  diagnostics?: Record<string, unknown>;
}

/**
 * Writes TAP version 13 to a sink as test points arrive, and keeps the text for JUnit
 * conversion. The plan comes last, which TAP allows when the number of points is not known
 * up front. It writes no `#` comment lines, because tap-junit 5 attaches the last comment it
 * saw to every later test case as system-out.
 */
export class TapWriter {
  private readonly sink: Sink;
  private count = 0;
  private text = '';
  private ended = false;

  constructor(sink: Sink) {
    this.sink = sink;
    this.emit('TAP version 13\n');
  }

  /** Writes one test point. After a bail out it writes nothing: the stream has ended. */
  point(point: TestPoint): void {
    if (this.ended) {
      return;
    }
    this.count += 1;
    let line = `${point.ok ? 'ok' : 'not ok'} ${this.count} - ${escapeDescription(point.description)}`;
    if (point.directive) {
      line += ` # ${point.directive.kind} ${point.directive.reason}`;
    }
    let block = `${line}\n`;
    if (point.diagnostics && Object.keys(point.diagnostics).length > 0) {
      block += formatDiagnostics(point.diagnostics);
    }
    this.emit(block);
  }

  /** Aborts the stream, as TAP consumers expect when the run cannot continue. */
  bailOut(reason: string): void {
    this.emit(`Bail out! ${reason.replace(/\n/g, ' ')}\n`);
    this.ended = true;
  }

  end(): void {
    if (!this.ended) {
      this.emit(`1..${this.count}\n`);
      this.ended = true;
    }
  }

  get output(): string {
    return this.text;
  }

  private emit(text: string): void {
    this.text += text;
    this.sink.write(text);
  }
}

/** `#` starts a directive in TAP, so it is escaped in descriptions; line breaks are flattened. */
export function escapeDescription(description: string): string {
  return description.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/\s*\n\s*/g, ' ');
}

/** Formats a YAML diagnostics block, indented two spaces between `---` and `...`. */
export function formatDiagnostics(diagnostics: Record<string, unknown>): string {
  const yaml = stringify(diagnostics, { lineWidth: 0 }).trimEnd();
  const indented = yaml
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `  ---\n${indented}\n  ...\n`;
}
