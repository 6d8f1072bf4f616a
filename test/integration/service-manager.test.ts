import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedTestContainer } from 'testcontainers';
import { execInContainer } from '../../harness/engine/exec.js';
import { labelsForRun } from '../../harness/labels.js';
import { pollUntil } from '../../harness/runner/poll.js';
import { newRunId } from '../../harness/runner/run-id.js';
import { InitContainer } from '../../harness/topology/fuse-container.js';
import { installUnits, readServiceEvents, startServiceManager, systemctl, unitFile, type ServiceEvent } from '../../harness/topology/service-manager.js';
import { leftoversOfRun, requireContainers } from './support.js';

const runId = `svc-${newRunId()}`;
let container: StartedTestContainer;
let id: string;

/** A watchdog script as an ops team would write it, calling systemctl and nothing mountdrill-specific. */
const watchdog = `#!/bin/sh
set -e
systemctl stop worker.service
systemctl is-active --quiet worker.service && exit 1
systemctl start worker.service
systemctl is-active worker.service
`;

describe('client service manager', () => {
  beforeAll(async () => {
    const image = requireContainers();
    container = await new InitContainer(image).withLabels(labelsForRun(runId, 'service-manager')).withCommand(['sleep', 'infinity']).start();
    id = container.getId();
    await startServiceManager(id);
    await installUnits(id, [
      { name: 'worker.service', content: unitFile({ Unit: { Description: 'job loop' }, Service: { ExecStart: '/bin/sh -c "while :; do sleep 1; done"', Restart: 'on-failure', RestartSec: '200ms' } }) },
      { name: 'tick.service', content: unitFile({ Service: { Type: 'oneshot', ExecStart: '/bin/sh -c "date +%%s.%%N >> /tmp/ticks"' } }) },
      { name: 'tick.timer', content: unitFile({ Timer: { OnActiveSec: '0', OnUnitActiveSec: '300ms' } }) },
      { name: 'broken.service', content: unitFile({ Service: { ExecStart: '/bin/false', Restart: 'on-failure', RestartSec: '100ms', StartLimitBurst: '3' } }) },
    ]);
  });

  afterAll(async () => {
    await container?.stop({ remove: true, timeout: 1_000 });
    expect(await leftoversOfRun(runId)).toEqual({ containers: [], networks: [] });
  });

  it('starts, stops and reports services like systemctl', async () => {
    expect((await systemctl(id, 'start', 'worker.service')).exitCode).toBe(0);
    const active = await systemctl(id, 'is-active', 'worker');
    expect(active.exitCode).toBe(0);
    expect(active.stdout.trim()).toBe('active');
    expect((await systemctl(id, 'status', 'worker.service')).stdout).toMatch(/^worker.service - job loop\n\s+Loaded: loaded \(\/etc\/mountdrill\/units\/worker.service\)\n\s+Active: active since .* \(pid \d+\)/);
    expect((await systemctl(id, 'cat', 'worker.service')).stdout).toContain('Restart=on-failure');

    const stopped = await systemctl(id, 'stop', 'worker.service');
    expect(stopped.exitCode).toBe(0);
    const inactive = await systemctl(id, 'is-active', 'worker.service');
    expect(inactive.exitCode).toBe(3);
    expect(inactive.stdout.trim()).toBe('inactive');
    expect((await systemctl(id, 'start', 'missing.service')).stderr).toContain('Unit missing.service not found.');
    expect((await systemctl(id, 'start', 'missing.service')).exitCode).toBe(5);
  });

  it('runs an unmodified watchdog script that calls systemctl', async () => {
    await systemctl(id, 'start', 'worker.service');
    await container.copyContentToContainer([{ content: watchdog, target: '/usr/local/bin/watchdog', mode: 0o755 }]);
    const before = (await readServiceEvents(id)).length;

    const result = await execInContainer(id, ['/usr/local/bin/watchdog'], { timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe('active');

    const events = (await readServiceEvents(id)).slice(before).filter((event) => event.unit === 'worker.service');
    expect(events.map((event) => event.event)).toEqual(['stop', 'exited', 'stopped', 'start']);
    expect(events.map((event) => event.time)).toEqual([...events.map((event) => event.time)].sort((a, b) => a - b));
  });

  it('restarts a service that dies and records why', async () => {
    await systemctl(id, 'start', 'worker.service');
    const pid = Number((await execInContainer(id, ['sh', '-c', "systemctl status worker.service | sed -n 's/.*(pid \\([0-9]*\\)).*/\\1/p'"])).stdout.trim());
    expect(pid).toBeGreaterThan(1);
    await execInContainer(id, ['kill', '-KILL', String(pid)]);

    const restarted = await pollUntil({
      probe: () => readServiceEvents(id),
      until: (events) => events.some((event) => event.unit === 'worker.service' && event.event === 'start' && event.by === 'restart-policy'),
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect(restarted.ok).toBe(true);
    const events = (restarted.ok ? restarted.value : []).filter((event) => event.unit === 'worker.service');
    const exit = events.find((event) => event.event === 'exited' && event.pid === pid);
    expect(exit?.result).toBe('signal SIGKILL');
    expect((await systemctl(id, 'is-active', 'worker.service')).stdout.trim()).toBe('active');
  });

  it('marks a service failed after its start limit', async () => {
    await systemctl(id, 'start', 'broken.service');
    const failed = await pollUntil({ probe: () => systemctl(id, 'is-failed', 'broken.service'), until: (result) => result.exitCode === 0, timeoutMs: 10_000, intervalMs: 100 });
    expect(failed.ok).toBe(true);
    const starts = (await readServiceEvents(id)).filter((event: ServiceEvent) => event.unit === 'broken.service' && event.event === 'start');
    expect(starts).toHaveLength(3);
    expect((await systemctl(id, 'reset-failed', 'broken.service')).exitCode).toBe(0);
    expect((await systemctl(id, 'is-failed', 'broken.service')).exitCode).toBe(1);
  });

  it('runs a timer every period', async () => {
    await systemctl(id, 'start', 'tick.timer');
    const ticked = await pollUntil({
      probe: async () => (await execInContainer(id, ['sh', '-c', 'cat /tmp/ticks 2>/dev/null | wc -l'])).stdout.trim(),
      until: (count) => Number(count) >= 3,
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    await systemctl(id, 'stop', 'tick.timer');
    expect(ticked.ok).toBe(true);
    const ticks = (await execInContainer(id, ['cat', '/tmp/ticks'])).stdout.trim().split('\n').map(Number);
    expect(ticks[1]! - ticks[0]!).toBeGreaterThanOrEqual(0.25);
    const runs = (await readServiceEvents(id)).filter((event) => event.unit === 'tick.service' && event.event === 'start');
    expect(runs.every((event) => event.by === 'tick.timer')).toBe(true);
  });
});
