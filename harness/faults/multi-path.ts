import { MountdrillError } from '../errors.js';
import { outerHotPaths } from './observe.js';
import type { Fault } from './fault.js';
import { confirmStaleMount, killSshfs } from './kill-sshfs.js';

/** Hot paths that lie inside another hot path. */
export function nestedHotPaths(hotPaths: string[]): string[] {
  const outer = outerHotPaths(hotPaths);
  return hotPaths.filter((hot) => !outer.includes(hot));
}

/**
 * Every hot path fails at once, one of them nested inside another (an imports tree bound
 * under a jobs tree). Recovery has to unmount the nested path before its parent and bind the
 * parent before the nested path, or the parent's new bind mount hides the nested one.
 */
export const multiPath: Fault = {
  name: 'multi-path',
  description: 'SIGKILL the base sshfs under several hot paths, one nested inside another',
  symptom: 'every hot path, the nested one included, fails with ENOTCONN while the base mount stays in mountinfo',

  async inject(context) {
    const nested = nestedHotPaths(context.hotPaths);
    if (context.hotPaths.length < 2 || nested.length === 0) {
      throw new MountdrillError('CONFIG_INVALID', `multi-path needs at least two hot paths, one inside another; the manifest has ${JSON.stringify(context.hotPaths)}`, {
        hint: 'add a binding whose hot path lies under another hot path to the manifest, or drill kill-sshfs instead',
      });
    }
    return { ...(await killSshfs.inject(context)), nested };
  },

  async confirm(context, deadlineMs) {
    return confirmStaleMount(context, deadlineMs);
  },

  async heal(context) {
    await killSshfs.heal(context);
  },
};
