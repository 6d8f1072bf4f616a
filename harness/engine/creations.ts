import { MountdrillError } from '../errors.js';

/**
 * Creations of labelled containers and networks that have not finished yet. An interrupt closes
 * the registry and waits for them before it removes the run's resources, because a creation
 * still in flight would otherwise finish after the removal and outlive the run.
 */
export class Creations {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closedBy: string | undefined;

  /** Runs `create` and tracks it until it settles. Throws INTERRUPTED once the registry is closed. */
  async track<T>(what: string, create: () => Promise<T>): Promise<T> {
    if (this.closedBy !== undefined) {
      throw new MountdrillError('INTERRUPTED', `${what} was not created, because the run was interrupted by ${this.closedBy}`);
    }
    const creation = create();
    this.inFlight.add(creation);
    try {
      return await creation;
    } finally {
      this.inFlight.delete(creation);
    }
  }

  /** Rejects later creations and waits at most `timeoutMs` for those in flight. Returns how many are still running. */
  async close(reason: string, timeoutMs: number): Promise<number> {
    this.closedBy = reason;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
    return this.inFlight.size;
  }
}

/** The process's registry. A process runs one drill run at a time, and only its interrupt closes it. */
export const creations = new Creations();
