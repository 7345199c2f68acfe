import { describe, expect, it } from 'vitest';
import { RevalidationScheduler, type Clock } from './live-scheduler';

/** A manual clock: `advance` runs due timers in order. */
function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = end;
  };
  return { clock, advance };
}

const OPTIONS = { debounceMs: 15, maxWaitMs: 60, slowMs: 2000, settleTimeoutMs: 3000 };

function setup() {
  const { clock, advance } = fakeClock();
  let runs = 0;
  const scheduler = new RevalidationScheduler(() => runs++, OPTIONS, clock);
  return { scheduler, advance, runs: () => runs };
}

describe('RevalidationScheduler', () => {
  it('folds a burst into one revalidation after the debounce', () => {
    const { scheduler, advance, runs } = setup();
    scheduler.request('now');
    advance(10);
    scheduler.request('now');
    advance(14);
    expect(runs()).toBe(0);
    advance(1);
    expect(runs()).toBe(1);
  });

  it('never waits longer than maxWait in a steady stream', () => {
    const { scheduler, advance, runs } = setup();
    for (let t = 0; t < 60; t += 10) {
      scheduler.request('now');
      advance(10);
    }
    expect(runs()).toBe(1);
  });

  it('runs one at a time, with a single follow-up as soon as the first settles', () => {
    const { scheduler, advance, runs } = setup();
    scheduler.request('now');
    advance(15);
    scheduler.request('now');
    scheduler.request('now');
    advance(100);
    expect(runs()).toBe(1);
    scheduler.settled();
    expect(runs()).toBe(2);
    scheduler.settled();
    expect(runs()).toBe(2);
  });

  it('gives up waiting for a revalidation that never settles', () => {
    const { scheduler, advance, runs } = setup();
    scheduler.request('now');
    advance(15);
    scheduler.request('now');
    advance(3000);
    expect(runs()).toBe(2);
  });

  it('delays background events, and an urgent one overtakes them', () => {
    const { scheduler, advance, runs } = setup();
    scheduler.request('later');
    advance(1999);
    expect(runs()).toBe(0);
    advance(1);
    expect(runs()).toBe(1);
    scheduler.settled();
    scheduler.request('later');
    scheduler.request('now');
    advance(15);
    expect(runs()).toBe(2);
    advance(5000);
    expect(runs()).toBe(2);
  });

  it('stops everything on dispose', () => {
    const { scheduler, advance, runs } = setup();
    scheduler.request('now');
    scheduler.dispose();
    advance(5000);
    expect(runs()).toBe(0);
  });
});
