import { describe, expect, it } from 'vitest';
import { Creations } from '../../harness/engine/creations.js';

function deferred(): { promise: Promise<string>; resolve: (value: string) => void } {
  let resolve: (value: string) => void = () => undefined;
  const promise = new Promise<string>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('Creations', () => {
  it('returns what the creation returns', async () => {
    const registry = new Creations();
    await expect(registry.track('container a', async () => 'id-a')).resolves.toBe('id-a');
  });

  it('waits for creations in flight on close', async () => {
    const registry = new Creations();
    const pending = deferred();
    const tracked = registry.track('container a', () => pending.promise);
    let closed = false;
    const closing = registry.close('SIGINT', 60_000).then((unfinished) => {
      closed = true;
      return unfinished;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    pending.resolve('id-a');
    expect(await closing).toBe(0);
    expect(await tracked).toBe('id-a');
  });

  it('counts creations unfinished at the timeout', async () => {
    const registry = new Creations();
    void registry.track('network n', () => deferred().promise);
    expect(await registry.close('SIGTERM', 10)).toBe(1);
  });

  it('rejects creations after close', async () => {
    const registry = new Creations();
    await registry.close('SIGINT', 10);
    let called = false;
    const attempt = registry.track('container b', async () => {
      called = true;
      return 'id-b';
    });
    await expect(attempt).rejects.toMatchObject({ code: 'INTERRUPTED', message: 'container b was not created, because the run was interrupted by SIGINT' });
    expect(called).toBe(false);
  });
});
