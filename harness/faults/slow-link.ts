import { execChecked, execInContainer } from '../engine/exec.js';
import { MountdrillError } from '../errors.js';
import type { DrillContext } from '../runner/context.js';
import type { Fault } from './fault.js';
import { hotProbes, observeStorage, pollForSymptom, type StorageObservation } from './observe.js';

/** Added to every packet the client sends, with this much jitter, and the share of packets lost. */
export const slowLinkShape = { delayMs: 200, jitterMs: 50, lossPercent: 2 };

/** Returns the client's interface on the drill network: the one its route to the server uses. */
async function clientInterface(context: DrillContext): Promise<string> {
  const route = await execChecked(context.topology.client.id, ['ip', '-o', 'route', 'get', context.topology.server.address], 'finding the client’s route to the server');
  const device = /\bdev\s+(\S+)/.exec(route.stdout)?.[1];
  if (!device) {
    throw new MountdrillError('FAULT_FAILED', `no interface in the client's route to ${context.topology.server.address}: ${route.stdout.trim()}`);
  }
  return device;
}

/**
 * Returns whether tc's error message reports that netem itself is missing: the kernel has no
 * sch_netem ("Specified qdisc kind is unknown"), or tc was built without it ("Unknown qdisc").
 */
export function netemMissing(tcOutput: string): boolean {
  return /qdisc kind is unknown|Unknown qdisc "?netem/i.test(tcOutput);
}

interface SlowObservation extends StorageObservation {
  /** Seconds a TCP connection to the server's SSH port took to open (one round trip). */
  connectSeconds: number | undefined;
}

const connectScript = 'import socket, sys, time\nstarted = time.monotonic()\nsocket.create_connection((sys.argv[1], 22), 10).close()\nprint(time.monotonic() - started)';

/**
 * Adds latency and loss to the client's interface with `tc netem`. The mount must stay usable,
 * only slower; a detector whose timeouts are too tight reports a healthy mount as hung. Needs
 * the kernel's netem queueing discipline, which some hosts lack: the fault is then unavailable.
 */
export const slowLink: Fault = {
  name: 'slow-link',
  description: `add ${slowLinkShape.delayMs} ms ± ${slowLinkShape.jitterMs} ms of delay and ${slowLinkShape.lossPercent}% loss to the client’s interface (tc netem)`,
  symptom: `every hot path stays readable and a round trip to the server takes at least ${slowLinkShape.delayMs - slowLinkShape.jitterMs} ms`,

  async unavailable(context) {
    const device = await clientInterface(context);
    const trial = await execInContainer(context.topology.client.id, ['tc', 'qdisc', 'add', 'dev', device, 'root', 'netem', 'delay', '1ms'], { timeoutMs: 10_000 });
    if (trial.exitCode !== 0) {
      const output = trial.stderr.trim() || trial.stdout.trim() || `exit code ${trial.exitCode}`;
      if (!netemMissing(output)) {
        // A missing capability or a broken tc is a fault of the setup, not of the host's kernel.
        throw new MountdrillError('FAULT_FAILED', `tc could not add a trial netem queueing discipline on ${device} in the client: ${output}`, {
          hint: 'the client needs CAP_NET_ADMIN and the iproute2 package; run mountdrill doctor',
        });
      }
      return `tc cannot add a netem queueing discipline on ${device}, because the kernel lacks sch_netem: ${output}`;
    }
    await execChecked(context.topology.client.id, ['tc', 'qdisc', 'del', 'dev', device, 'root'], `removing the trial netem qdisc from ${device}`);
    return undefined;
  },

  async inject(context) {
    const device = await clientInterface(context);
    const shape = ['delay', `${slowLinkShape.delayMs}ms`, `${slowLinkShape.jitterMs}ms`, 'loss', `${slowLinkShape.lossPercent}%`];
    await execChecked(context.topology.client.id, ['tc', 'qdisc', 'add', 'dev', device, 'root', 'netem', ...shape], `adding netem to ${device}`);
    return { device, netem: shape.join(' ') };
  },

  async confirm(context, deadlineMs) {
    const minimumSeconds = (slowLinkShape.delayMs - slowLinkShape.jitterMs) / 1000;
    return pollForSymptom<SlowObservation>(
      context,
      deadlineMs,
      async () => {
        const observation = await observeStorage(context);
        const connect = await execInContainer(context.topology.client.id, ['python3', '-c', connectScript, context.topology.server.address], { timeoutMs: 15_000 });
        return { ...observation, connectSeconds: connect.exitCode === 0 ? Number(connect.stdout.trim()) : undefined };
      },
      (observation) => observation.connectSeconds !== undefined && observation.connectSeconds >= minimumSeconds && hotProbes(context, observation).every((probe) => probe.ok),
      (observation) => ({ connectSeconds: observation.connectSeconds ?? 'connection failed' }),
    );
  },

  async heal(context) {
    const device = await clientInterface(context);
    // Fails harmlessly when no netem qdisc is installed.
    await execInContainer(context.topology.client.id, ['tc', 'qdisc', 'del', 'dev', device, 'root'], { timeoutMs: 10_000 });
  },
};
