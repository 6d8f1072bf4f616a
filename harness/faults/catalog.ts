import { MountdrillError } from '../errors.js';
import type { Fault } from './fault.js';
import { drillSignal } from './drill-signal.js';
import { killSshfs } from './kill-sshfs.js';

/** Faults a drill can name. */
export const faultCatalog: ReadonlyMap<string, Fault> = new Map([killSshfs, drillSignal].map((fault) => [fault.name, fault]));

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
