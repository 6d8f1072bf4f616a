import { MountdrillError } from '../errors.js';
import type { Fault } from './fault.js';
import { baseRestart } from './base-restart.js';
import { drillSignal } from './drill-signal.js';
import { killSshfs } from './kill-sshfs.js';
import { killTransport } from './kill-transport.js';
import { multiPath } from './multi-path.js';
import { partition, partitionKeepalive } from './partition.js';
import { serverPause, serverRestart, serverRestartReconnect } from './server-container.js';
import { slowLink } from './slow-link.js';

/** Faults a drill can name. */
export const faultCatalog: ReadonlyMap<string, Fault> = new Map(
  [killSshfs, killTransport, baseRestart, partition, partitionKeepalive, serverPause, serverRestart, serverRestartReconnect, multiPath, slowLink, drillSignal].map((fault) => [fault.name, fault]),
);
export function resolveFault(fault: string | Fault): Fault {
  if (typeof fault !== 'string') {
    return fault;
  }
  const found = faultCatalog.get(fault);
  if (!found) {
    throw new MountdrillError('CONFIG_INVALID', `unknown fault ${JSON.stringify(fault)}`, {
      hint: `use one of: ${[...faultCatalog.keys()].join(', ')}`,
    });
  }
  return found;
}
