// One ticking clock for every text that says how long ago or how long until ("10 seconds ago",
// "next check in 4 s"). It ticks only while something on screen reads it: the first reader
// starts one interval, and when the last one goes (its component unmounted) the interval is
// cleared, so no timer outlives the screens that use it.

import { createSubscriber } from 'svelte/reactivity';

/** A clock read reactively: `now` changes every `periodMs` while a component or effect reads it. */
export class TickingClock {
  readonly #subscribe: () => void;

  /** `periodMs`: milliseconds between ticks. */
  constructor(periodMs = 1000) {
    this.#subscribe = createSubscriber((update) => {
      const id = setInterval(update, periodMs);
      return () => clearInterval(id);
    });
  }

  /** Unix milliseconds; read in a template, `$derived` or `$effect`, it updates on each tick. */
  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

/** The app's clock: ticks once a second while anything shows a time that moves. */
export const wallClock = new TickingClock(1000);
