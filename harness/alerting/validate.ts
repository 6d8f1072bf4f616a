import { creations } from '../engine/creations.js';
import { execInContainer, writeFilesInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import { labelsForRun } from '../labels.js';
import { debugLog } from '../log.js';
import { InitContainer } from '../topology/fuse-container.js';
import type { PreparedAlerting, PreparedFile } from './prepare.js';

const log = debugLog('alerting');

/**
 * Checks the rule files with `promtool check rules` and the Alertmanager configuration with
 * `amtool check-config`, both from the base image, in a short-lived container started before
 * any drill container. The files are checked as written and, where the drill rewrites them,
 * as rewritten. Throws CONFIG_INVALID (exit code 2) with the tool's output, naming the file.
 */
export async function validateAlerting(prepared: PreparedAlerting, image: string, runId: string): Promise<void> {
  const builder = new InitContainer(image).withLabels(labelsForRun(runId, 'validate')).withCommand(['sleep', 'infinity']);
  const container = await creations.track('the validation container', () => builder.start());
  try {
    const files: Array<{ file: PreparedFile; variant: 'as written' | 'as rewritten for the drill'; path: string; content: string }> = [];
    for (const file of [...prepared.ruleFiles, prepared.alertmanager]) {
      files.push({ file, variant: 'as written', path: `/validate/original/${file.name}`, content: file.original });
      if (file.content !== file.original) {
        files.push({ file, variant: 'as rewritten for the drill', path: `/validate/drill/${file.name}`, content: file.content });
      }
    }
    await writeFilesInContainer(
      container.getId(),
      files.map((entry) => ({ path: entry.path, content: entry.content })),
    );

    for (const entry of files) {
      const isRules = entry.file !== prepared.alertmanager;
      const command = isRules ? ['promtool', 'check', 'rules', entry.path] : ['amtool', 'check-config', entry.path];
      const result = await execInContainer(container.getId(), command, { timeoutMs: 30_000 });
      log('%s %s -> %d', command.join(' '), entry.variant, result.exitCode);
      if (result.exitCode !== 0) {
        const tool = isRules ? 'promtool check rules' : 'amtool check-config';
        const output = `${result.stdout}${result.stderr}`.trim().replaceAll(entry.path, entry.file.source);
        throw new MountdrillError('CONFIG_INVALID', `${tool} rejected ${entry.file.source} (${entry.variant}):\n${output}`, {
          hint: `fix ${entry.file.source}; run \`${tool}\` on it to check`,
          evidence: { file: entry.file.source, tool, output },
        });
      }
    }
  } finally {
    await container.stop({ remove: true, timeout: 1_000 }).catch((error: unknown) => log('removing the validation container failed: %O', error));
  }
}
