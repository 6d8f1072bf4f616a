import path from 'node:path/posix';
import { MountdrillError } from '../errors.js';

/** One bind mount of the hot-path manifest: a directory of the network mount shown at a hot path. */
export interface BindEntry {
  /** Directory inside the base mount (absolute path in the client). */
  cold: string;
  /** Path at which workers see the directory (absolute path in the client). */
  hot: string;
  /** 1-based line number in the manifest, for error messages. */
  line: number;
}

/**
 * Parses a manifest of `<cold> <hot>` lines. Blank lines and `#` comments are ignored.
 * Throws CONFIG_INVALID naming the source and line on a malformed entry.
 */
export function parseManifest(text: string, source = 'manifest'): BindEntry[] {
  const entries: BindEntry[] = [];
  const seenHot = new Map<string, number>();

  text.split('\n').forEach((rawLine, index) => {
    const line = index + 1;
    const content = rawLine.replace(/#.*$/, '').trim();
    if (content === '') {
      return;
    }
    const fields = content.split(/\s+/);
    if (fields.length !== 2) {
      throw invalid(source, line, `expected "<cold> <hot>", found ${fields.length} field(s): ${JSON.stringify(rawLine)}`);
    }
    const [cold, hot] = fields as [string, string];
    for (const [role, value] of [['cold', cold], ['hot', hot]] as const) {
      if (!path.isAbsolute(value)) {
        throw invalid(source, line, `${role} path ${JSON.stringify(value)} is not absolute`);
      }
      const stripped = stripTrailingSlash(value);
      if (path.normalize(stripped) !== stripped) {
        throw invalid(source, line, `${role} path ${JSON.stringify(value)} is not normalized (use ${path.normalize(stripped)})`);
      }
    }
    const normalizedHot = stripTrailingSlash(hot);
    const previous = seenHot.get(normalizedHot);
    if (previous !== undefined) {
      throw invalid(source, line, `hot path ${normalizedHot} is already bound on line ${previous}`);
    }
    seenHot.set(normalizedHot, line);
    entries.push({ cold: stripTrailingSlash(cold), hot: normalizedHot, line });
  });

  return entries;
}

/** Checks every cold path lies inside the base mount, which the bind mounts depend on. */
export function assertColdPathsUnder(entries: BindEntry[], baseMount: string, source = 'manifest'): void {
  for (const entry of entries) {
    if (!isInside(entry.cold, baseMount)) {
      throw invalid(source, entry.line, `cold path ${entry.cold} is outside the base mount ${baseMount}`);
    }
    if (isInside(entry.hot, baseMount) || entry.hot === baseMount) {
      throw invalid(source, entry.line, `hot path ${entry.hot} is inside the base mount ${baseMount}; hot paths must be outside it`);
    }
  }
}

/** Orders entries so that a hot path is bound before any hot path nested under it. */
export function mountOrder(entries: BindEntry[]): BindEntry[] {
  return [...entries].sort((a, b) => depth(a.hot) - depth(b.hot) || a.hot.localeCompare(b.hot));
}

/** Returns the cold path relative to the base mount, e.g. `jobs/a` for `/mnt/storage/jobs/a`. */
export function relativeToBase(cold: string, baseMount: string): string {
  return path.relative(baseMount, cold);
}

export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function depth(value: string): number {
  return value.split('/').filter(Boolean).length;
}

function stripTrailingSlash(value: string): string {
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

function invalid(source: string, line: number, reason: string): MountdrillError {
  return new MountdrillError('CONFIG_INVALID', `invalid manifest ${source} line ${line}: ${reason}`, {
    hint: `fix line ${line} of ${source}; each line is "<cold path under the base mount> <hot path>"`,
  });
}
