import { describe, expect, it } from 'vitest';
import { describeHealOutcome, PendingHeals } from '../../harness/runner/pending-heals.js';

describe('PendingHeals', () => {
  it('runs held heals, reports each outcome and forgets them', async () => {
    const pending = new PendingHeals();
    const ran: string[] = [];
    pending.hold('partition', async () => {
      ran.push('partition');
    });
    pending.hold('server-pause', async () => {
      throw new Error('unpause refused');
    });
    const released = pending.hold('kill-sshfs', async () => {
      ran.push('kill-sshfs');
    });
    released();
    expect(pending.faults).toEqual(['partition', 'server-pause']);

    const outcomes = await pending.healAll(1_000);
    expect(ran).toEqual(['partition']);
    expect(outcomes.map(({ fault, status, error }) => ({ fault, status, error }))).toEqual([
      { fault: 'partition', status: 'healed', error: undefined },
      { fault: 'server-pause', status: 'failed', error: 'unpause refused' },
    ]);
    expect(pending.faults).toEqual([]);
    expect(await pending.healAll(1_000)).toEqual([]);
  });

  it('gives up on a heal that does not finish in time', async () => {
    const pending = new PendingHeals();
    pending.hold('server-pause', () => new Promise<void>(() => undefined));
    const [outcome] = await pending.healAll(50);
    expect(outcome).toMatchObject({ fault: 'server-pause', status: 'timed out' });
    expect(describeHealOutcome(outcome!)).toMatch(/^heal of fault server-pause did not finish within \d+ ms; removing the containers anyway$/);
  });
});
