import { MountdrillError } from '../errors.js';

const unitMilliseconds: Record<string, number> = {
  y: 365 * 24 * 3_600_000,
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/**
 * Parses a Prometheus duration (`1h30m`, `90s`, `500ms`) into milliseconds. Units are
 * y, w, d, h, m, s and ms, largest first, as Prometheus and Alertmanager accept them.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') {
    return 0;
  }
  const pattern = /(\d+)(ms|y|w|d|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(pattern)) {
    total += Number(match[1]) * unitMilliseconds[match[2]!]!;
    consumed += match[0].length;
  }
  if (consumed !== trimmed.length || trimmed.length === 0) {
    throw new MountdrillError('CONFIG_INVALID', `invalid duration ${JSON.stringify(text)}`, {
      hint: 'use a Prometheus duration such as 30s, 5m, 1h30m or 500ms',
    });
  }
  return total;
}

/** Formats milliseconds as a Prometheus duration, exact to the millisecond (`1m30s`, `750ms`). */
export function formatDuration(milliseconds: number): string {
  let rest = Math.round(milliseconds);
  if (rest === 0) {
    return '0s';
  }
  let text = '';
  for (const unit of ['h', 'm', 's', 'ms']) {
    const size = unitMilliseconds[unit]!;
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

/** Divides a duration by the time scale; the result is never below `minimumMs`. */
export function scaleDuration(text: string, timeScale: number, minimumMs = 1): string {
  return formatDuration(Math.max(minimumMs, parseDuration(text) / timeScale));
}
