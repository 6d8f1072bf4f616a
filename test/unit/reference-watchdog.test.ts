import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const watchdogDirectory = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'reference-system', 'watchdog');
const manifest = path.resolve(watchdogDirectory, '..', 'hot-paths.manifest');

/** Calls the reference watchdog's plan_actions in python3 and returns each action as "action target". */
async function plan(stale: string[], options: { baseErrno?: number; hung?: string[] } = {}): Promise<string[]> {
  const script = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(watchdogDirectory)})`,
    'import watchdog',
    'arguments = json.loads(sys.argv[1])',
    'config = {"manifest": arguments["manifest"], "workerUnit": "worker.service", "baseMount": "/mnt/storage", "baseMountUnit": "storage-mount.service",',
    '          "strandedDirectory": "/var/lib/stranded", "jobStore": "/var/lib/jobs.json"}',
    'for step in watchdog.plan_actions(config, arguments["stale"], arguments["baseErrno"], True, arguments["hung"]):',
    '    print(step["action"], step["target"])',
  ].join('\n');
  const input = JSON.stringify({ manifest, stale, baseErrno: options.baseErrno ?? 0, hung: options.hung ?? [] });
  // No __pycache__ in the fixture, which drills copy into the client as it is.
  const result = await execa('python3', ['-c', script, input], { env: { PYTHONDONTWRITEBYTECODE: '1' } });
  return result.stdout.split('\n');
}

describe('reference watchdog plan', () => {
  it('re-binds paths nested in a stale one', async () => {
    expect(await plan(['/srv/hot/crawl'])).toEqual([
      'stop-worker worker.service',
      'unmount /srv/hot/crawl/imports',
      'unmount /srv/hot/crawl',
      'bind /srv/hot/crawl',
      'bind /srv/hot/crawl/imports',
      'requeue-jobs /var/lib/jobs.json',
      'verify /srv/hot/crawl,/srv/hot/index,/srv/hot/crawl/imports',
      'start-worker worker.service',
    ]);
  });

  it('re-binds every path after a base restart', async () => {
    const actions = await plan(['/srv/hot/index'], { hung: ['/srv/hot/index'] });
    expect(actions).toContain('restart-base storage-mount.service');
    expect(actions.filter((action) => action.startsWith('unmount '))).toEqual(['unmount /srv/hot/crawl/imports', 'unmount /srv/hot/crawl', 'unmount /srv/hot/index']);
    expect(actions.filter((action) => action.startsWith('bind '))).toEqual(['bind /srv/hot/crawl', 'bind /srv/hot/index', 'bind /srv/hot/crawl/imports']);
  });

  it('restarts the base when it fails', async () => {
    const actions = await plan(['/srv/hot/crawl', '/srv/hot/index', '/srv/hot/crawl/imports'], { baseErrno: 107 });
    expect(actions.indexOf('restart-base storage-mount.service')).toBeGreaterThan(actions.indexOf('unmount /srv/hot/crawl'));
    expect(actions.indexOf('restart-base storage-mount.service')).toBeLessThan(actions.indexOf('bind /srv/hot/crawl'));
  });

  it('leaves healthy paths alone', async () => {
    const actions = await plan(['/srv/hot/index']);
    expect(actions).not.toContain('restart-base storage-mount.service');
    expect(actions.filter((action) => /^(unmount|bind) /.test(action))).toEqual(['unmount /srv/hot/index', 'bind /srv/hot/index']);
  });
});
