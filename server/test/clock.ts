import type { Clock } from '../backup/schedule';

interface Sleeper {
  at: number;
  wake: () => void;
}

/**
 * A clock the test moves by hand: `sleep` waits until the test advances past its end (or the
 * signal aborts), so a day of schedule runs in milliseconds, and the test waits on what the code
 * does (it goes to sleep again) rather than on time.
 */
export class TestClock implements Clock {
  #sleepers: Sleeper[] = [];
  #waiting: (() => void)[] = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
        at: this.time + ms,
        wake: () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          resolve();
        },
      };
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', sleeper.wake, { once: true });
      this.#sleepers.push(sleeper);
      for (const notify of this.#waiting.splice(0)) notify();
    });
  }

  /** Resolves once the code sleeps; gives the earliest end of the sleeps. */
  async asleep(): Promise<number> {
    while (this.#sleepers.length === 0) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    return Math.min(...this.#sleepers.map((s) => s.at));
  }

  /** Moves to `time` and wakes every sleep that ends by then, without waiting for anything. */
  advanceTo(time: number): void {
    this.time = time;
    for (const sleeper of this.#sleepers.filter((s) => s.at <= time)) sleeper.wake();
  }

  /**
   * Lets the code run until `time`: wakes each sleep in turn as it ends, waiting every time for
   * the code to sleep again (to have done what it woke up for), and stops at `time`.
   */
  async runUntil(time: number): Promise<void> {
    for (;;) {
      const next = await this.asleep();
      if (next > time) {
        this.time = time;
        return;
      }
      this.advanceTo(next);
    }
  }
}
