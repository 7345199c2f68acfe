/**
 * Decides when a live event becomes a revalidation. The goal is ack-to-screen latency, so:
 * - an urgent event waits only `debounceMs` (to fold a burst, e.g. a message and its
 *   conversation update, into one request), and never more than `maxWaitMs` in a stream;
 * - only one revalidation runs at a time; events during it cause exactly one follow-up, started
 *   as soon as it settles;
 * - background events (nothing on screen changes, only counts might) wait `slowMs`.
 * Timers are injected so the logic runs under test without a browser.
 */
export type Lane = 'now' | 'later';

export interface SchedulerOptions {
  debounceMs: number;
  maxWaitMs: number;
  slowMs: number;
  /** A revalidation that never reports back (e.g. merged into a navigation) is assumed done. */
  settleTimeoutMs: number;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class RevalidationScheduler {
  private fast: { handle: unknown; firstAt: number } | null = null;
  private slow: unknown = null;
  private inFlight: unknown = null;
  private followUp: Lane | null = null;

  constructor(
    private readonly revalidate: () => void,
    private readonly options: SchedulerOptions,
    private readonly clock: Clock = browserClock,
  ) {}

  request(lane: Lane): void {
    if (this.inFlight !== null) {
      if (lane === 'now' || this.followUp === null) this.followUp = lane;
      return;
    }
    if (lane === 'later') {
      if (this.fast === null && this.slow === null) this.slow = this.clock.setTimeout(() => this.fire(), this.options.slowMs);
      return;
    }
    const now = this.clock.now();
    const firstAt = this.fast?.firstAt ?? now;
    if (this.fast) this.clock.clearTimeout(this.fast.handle);
    const delay = Math.max(0, Math.min(this.options.debounceMs, firstAt + this.options.maxWaitMs - now));
    this.fast = { handle: this.clock.setTimeout(() => this.fire(), delay), firstAt };
  }

  /** Call when the revalidation started by this scheduler has finished (or was superseded). */
  settled(): void {
    if (this.inFlight === null) return;
    this.clock.clearTimeout(this.inFlight);
    this.inFlight = null;
    const followUp = this.followUp;
    this.followUp = null;
    // Urgent events that arrived mid-flight have already waited: run again at once.
    if (followUp === 'now') this.fire();
    else if (followUp === 'later') this.request('later');
  }

  get busy(): boolean {
    return this.inFlight !== null;
  }

  dispose(): void {
    if (this.fast) this.clock.clearTimeout(this.fast.handle);
    this.clock.clearTimeout(this.slow);
    this.clock.clearTimeout(this.inFlight);
    this.fast = this.slow = this.inFlight = this.followUp = null;
  }

  private fire(): void {
    if (this.fast) this.clock.clearTimeout(this.fast.handle);
    this.clock.clearTimeout(this.slow);
    this.fast = this.slow = null;
    this.inFlight = this.clock.setTimeout(() => this.settled(), this.options.settleTimeoutMs);
    this.revalidate();
  }
}
