import { creations } from '../engine/creations.js';
import { docker } from '../engine/docker.js';
import { debugLog } from '../log.js';

const log = debugLog('topology');

export interface DrillNetwork {
  id: string;
  name: string;
}

/**
 * Creates an internal bridge network: no route out and no published ports, so the
 * containers of a drill reach only each other, and the host reaches them at their addresses.
 */
export async function createInternalNetwork(name: string, labels: Record<string, string>): Promise<DrillNetwork> {
  const network = await creations.track(`network ${name}`, () => docker().createNetwork({ Name: name, Driver: 'bridge', Internal: true, Labels: labels, CheckDuplicate: true }));
  log('created internal network %s (%s)', name, network.id.slice(0, 12));
  return { id: network.id, name };
}

export async function removeNetwork(network: DrillNetwork): Promise<void> {
  await docker().getNetwork(network.id).remove();
  log('removed network %s', network.name);
}
