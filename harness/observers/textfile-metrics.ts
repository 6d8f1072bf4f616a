import { execInContainer } from '../engine/exec.js';

/** One sample of the Prometheus text exposition format. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4) as node_exporter's textfile
 * collector reads it. Comment lines are skipped; malformed lines are returned separately
 * so that evidence can show them.
 */
export function parseExposition(text: string): { samples: MetricSample[]; malformed: string[] } {
  const samples: MetricSample[] = [];
  const malformed: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const sample = parseSampleLine(line);
    if (sample) {
      samples.push(sample);
    } else {
      malformed.push(rawLine);
    }
  }
  return { samples, malformed };
}

function parseSampleLine(line: string): MetricSample | undefined {
  const nameMatch = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!nameMatch) {
    return undefined;
  }
  const name = nameMatch[1]!;
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};

  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      rest = rest.trimStart();
      if (rest.startsWith('}')) {
        rest = rest.slice(1);
        break;
      }
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/.exec(rest);
      if (!labelMatch) {
        return undefined;
      }
      rest = rest.slice(labelMatch[0].length);
      let value = '';
      let closed = false;
      while (rest.length > 0) {
        const character = rest[0]!;
        if (character === '\\') {
          const escaped = rest[1];
          value += escaped === 'n' ? '\n' : (escaped ?? '');
          rest = rest.slice(2);
        } else if (character === '"') {
          rest = rest.slice(1);
          closed = true;
          break;
        } else {
          value += character;
          rest = rest.slice(1);
        }
      }
      if (!closed) {
        return undefined;
      }
      labels[labelMatch[1]!] = value;
      rest = rest.trimStart();
      if (rest.startsWith(',')) {
        rest = rest.slice(1);
      }
    }
  }

  const valueMatch = /^\s+(\S+)(?:\s+-?\d+)?\s*$/.exec(rest);
  if (!valueMatch) {
    return undefined;
  }
  const value = parseSampleValue(valueMatch[1]!);
  return value === undefined ? undefined : { name, labels, value };
}

function parseSampleValue(text: string): number | undefined {
  switch (text) {
    case '+Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
    default: {
      const value = Number(text);
      return Number.isNaN(value) ? undefined : value;
    }
  }
}

/** The `.prom` files of a textfile-collector directory, read from inside the client. */
export interface TextfileSnapshot {
  /** File name to content. */
  files: Record<string, string>;
  samples: MetricSample[];
  malformed: string[];
}

/**
 * Reads every `*.prom` file in the directory. Temporary files that a writer renames into place
 * do not end in `.prom`, so, like node_exporter, this never reads a half-written file.
 */
export async function readTextfileDirectory(containerId: string, directory: string): Promise<TextfileSnapshot> {
  const script = String.raw`
import json, os, sys
directory = sys.argv[1]
files = {}
if os.path.isdir(directory):
    for name in sorted(os.listdir(directory)):
        if name.endswith(".prom"):
            try:
                with open(os.path.join(directory, name)) as handle:
                    files[name] = handle.read()
            except OSError as error:
                files[name] = "# unreadable: %s\n" % error
print(json.dumps(files))
`;
  const result = await execInContainer(containerId, ['python3', '-c', script, directory], { timeoutMs: 10_000 });
  const files = result.exitCode === 0 ? (JSON.parse(result.stdout) as Record<string, string>) : {};
  const samples: MetricSample[] = [];
  const malformed: string[] = [];
  for (const content of Object.values(files)) {
    const parsed = parseExposition(content);
    samples.push(...parsed.samples);
    malformed.push(...parsed.malformed);
  }
  return { files, samples, malformed };
}

export function samplesNamed(samples: MetricSample[], name: string): MetricSample[] {
  return samples.filter((sample) => sample.name === name);
}

/** Formats a sample as it appears in the exposition format, for evidence. */
export function formatSample(sample: MetricSample): string {
  const labels = Object.entries(sample.labels)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',');
  return `${sample.name}${labels ? `{${labels}}` : ''} ${sample.value}`;
}
