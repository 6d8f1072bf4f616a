import { describe, expect, it } from 'vitest';
import { describeHealOutcome, PendingHeals } from '../../harness/runner/pending-heals.js';

describe('PendingHeals', () => {
  it('heals registered faults once', async () => {
    const pending = new PendingHeals();
    const ran: string[] = [];
    pending.register('partition', async () => {
      ran.push('partition');
    });
    pending.register('server-pause', async () => {
      throw new Error('unpause failed');
    });
    const released = pending.register('kill-sshfs', async () => {
      ran.push('kill-sshfs');
    });
    released();
    expect(pending.faults).toEqual(['partition', 'server-pause']);

    const outcomes = await pending.healAll(1_000);
    expect(ran).toEqual(['partition']);
    expect(outcomes.map(({ fault, status, error }) => ({ fault, status, error }))).toEqual([
      { fault: 'partition', status: 'healed', error: undefined },
      { fault: 'server-pause', status: 'failed', error: 'unpause failed' },
    ]);
    expect(pending.faults).toEqual([]);
    expect(await pending.healAll(1_000)).toEqual([]);
  });

  it('reports a slow heal timed out', async () => {
    const pending = new PendingHeals();
    pending.register('server-pause', () => new Promise<void>(() => undefined));
    const [outcome] = await pending.healAll(50);
    expect(outcome).toMatchObject({ fault: 'server-pause', status: 'timed out' });
    expect(describeHealOutcome(outcome!)).toMatch(/^heal of fault server-pause did not finish within \d+ ms; removing the containers anyway$/);
  });
});
