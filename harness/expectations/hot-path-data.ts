import path from 'node:path/posix';
import { execInContainer } from '../engine/exec.js';
import { relativeToBase } from '../topology/manifest.js';
import type { Expectation } from './expectation.js';

/**
 * Expects each hot path to show its own cold directory: the files seeded there, with their
 * checksums. A recovery that binds a nested hot path before its parent leaves the nested bind
 * hidden under the parent's, and the path then shows another directory of the storage.
 */
export function hotPathsShowTheirData(): Expectation {
  return {
    id: 'hot-paths-own-data',
    title: 'every hot path, nested ones included, shows the seeded files of its own cold directory',
    deadlineMs: () => 0,
    async evaluate(context) {
      const { baseMount } = context.profile.storage;
      const problems: string[] = [];
      for (const binding of context.profile.bindings) {
        const directory = relativeToBase(binding.cold, baseMount);
        const seeded = context.topology.seed.filter((file) => path.dirname(file.relativePath) === directory);
        const files = seeded.map((file) => path.join(binding.hot, path.basename(file.relativePath)));
        const sums = await execInContainer(context.topology.client.id, ['sha256sum', ...files], { timeoutMs: 10_000 });
        const seen = new Map(
          sums.stdout
            .split('\n')
            .map((line) => /^([0-9a-f]{64})\s+(.*)$/.exec(line))
            .filter((match): match is RegExpExecArray => match !== null)
            .map((match) => [match[2]!, match[1]!]),
        );
        for (const [index, file] of files.entries()) {
          const sum = seen.get(file);
          if (sum !== seeded[index]!.sha256) {
            problems.push(`${file}: ${sum === undefined ? 'missing' : 'different content'}, expected the seeded ${seeded[index]!.relativePath}`);
          }
        }
      }
      if (problems.length === 0) {
        return { ok: true, message: `${context.profile.bindings.length} hot path(s) show the seeded files of their own cold directories`, evidence: {}, waitedMs: 0 };
      }
      return { ok: false, message: `${problems.length} seeded file(s) not where the manifest binds them: ${problems[0]}`, evidence: { problems }, waitedMs: 0 };
    },
  };
}
