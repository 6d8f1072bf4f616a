/** Outcome of one pending heal that an interrupt ran. */
export interface HealOutcome {
  fault: string;
  status: 'healed' | 'failed' | 'timed out';
  durationMs: number;
  /** The heal's error, for a failed heal. */
  error?: string;
}

/**
 * Registry of the heals of faults that a run has injected and not healed yet. A drill registers
 * its fault's heal at injection and releases it in teardown. An interrupt runs every registered
 * heal before it removes the containers, so a partition or a paused server is undone even then.
 */
export class PendingHeals {
  readonly #registered = new Map<symbol, { fault: string; heal: () => Promise<void> }>();

  /** Registers a fault's heal and returns the function that releases it once the fault is healed or gone. */
  register(fault: string, heal: () => Promise<void>): () => void {
    const key = Symbol(fault);
    this.#registered.set(key, { fault, heal });
    return () => {
      this.#registered.delete(key);
    };
  }

  /** Names of the faults whose heals are registered. */
  get faults(): string[] {
    return [...this.#registered.values()].map((entry) => entry.fault);
  }

  /**
   * Runs every registered heal at once and releases it. A heal that takes longer than `timeoutMs`
   * is reported as timed out and left running, because an interrupted run must still exit.
   */
  async healAll(timeoutMs: number): Promise<HealOutcome[]> {
    const entries = [...this.#registered.values()];
    this.#registered.clear();
    return Promise.all(
      entries.map(async ({ fault, heal }): Promise<HealOutcome> => {
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timed out'>((resolve) => {
          timer = setTimeout(() => resolve('timed out'), timeoutMs);
        });
        try {
          const result = await Promise.race([heal().then(() => 'healed' as const), timedOut]);
          return { fault, status: result, durationMs: Math.round(performance.now() - started) };
        } catch (error) {
          return { fault, status: 'failed', durationMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}

/** Returns one line per outcome, for the interrupt's stderr messages. */
export function describeHealOutcome(outcome: HealOutcome): string {
  switch (outcome.status) {
    case 'healed':
      return `healed fault ${outcome.fault} in ${outcome.durationMs} ms`;
    case 'failed':
      return `heal of fault ${outcome.fault} failed after ${outcome.durationMs} ms: ${outcome.error}`;
    case 'timed out':
      return `heal of fault ${outcome.fault} did not finish within ${outcome.durationMs} ms; removing the containers anyway`;
  }
}
