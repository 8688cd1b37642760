// Confirms consent by itself: tries the token every few seconds until DocuSign stops saying
// `consent_required`, with a visible countdown, a Cancel, and a time limit.
// Timers are injected so the logic is unit-tested without waiting.

import type { ConsentOutcome } from '../../lib/ipc/types';
import type { IpcError } from '../../lib/ipc/errors';
import { toIpcError } from '../../lib/ipc/errors';
import { fixWithHint } from '../../lib/messages';

export type PollPhase = 'idle' | 'checking' | 'waiting' | 'confirmed' | 'failed' | 'cancelled' | 'timed_out';

export interface PollState {
  phase: PollPhase;
  /** Seconds until the next try, while waiting. */
  secondsLeft: number;
  attempts: number;
  /** The latest answer. */
  last: ConsentOutcome | null;
  /** Set when a try failed for another reason than missing consent. */
  error: IpcError | null;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerOptions {
  /** One try (the shell's `confirm_consent`). */
  attempt: () => Promise<ConsentOutcome>;
  /** Called on every state change. */
  onChange: (s: PollState) => void;
  /** Seconds between tries. */
  interval?: number;
  /** Give up after this many tries. */
  maxAttempts?: number;
  timers?: Timers;
}

/** Codes that mean "not yet": keep trying. Anything else stops the loop and shows the fix. */
const NOT_YET = new Set(['consent_required']);

export class ConsentPoller {
  state: PollState = { phase: 'idle', secondsLeft: 0, attempts: 0, last: null, error: null };
  private handle: unknown = null;
  private generation = 0;
  private readonly interval: number;
  private readonly maxAttempts: number;
  private readonly timers: Timers;

  constructor(private readonly opts: PollerOptions) {
    this.interval = opts.interval ?? 4;
    this.maxAttempts = opts.maxAttempts ?? 150;
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
  }

  private set(patch: Partial<PollState>) {
    this.state = { ...this.state, ...patch };
    this.opts.onChange(this.state);
  }

  /** Starts (or restarts) trying now. */
  start() {
    this.stopTimer();
    this.generation++;
    this.set({ attempts: 0, error: null });
    void this.tryOnce(this.generation);
  }

  /** Tries once more right away (the "Check now" button). */
  checkNow() {
    if (this.state.phase === 'checking') return;
    this.stopTimer();
    this.generation++;
    void this.tryOnce(this.generation);
  }

  /** Stops trying. */
  cancel() {
    this.stopTimer();
    this.generation++;
    if (this.state.phase !== 'confirmed') this.set({ phase: 'cancelled', secondsLeft: 0 });
  }

  private stopTimer() {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private async tryOnce(gen: number) {
    this.set({ phase: 'checking', secondsLeft: 0, attempts: this.state.attempts + 1 });
    let answer: ConsentOutcome;
    try {
      answer = await this.opts.attempt();
    } catch (e) {
      if (gen !== this.generation) return;
      this.set({ phase: 'failed', error: toIpcError(e) });
      return;
    }
    if (gen !== this.generation) return;
    if (answer.state === 'granted') {
      this.set({ phase: 'confirmed', last: answer, error: null });
      return;
    }
    const code = answer.step?.code ?? answer.state;
    if (!NOT_YET.has(code)) {
      this.set({ phase: 'failed', last: answer, error: toIpcError({ code, message: answer.step?.message ?? '', fix: fixWithHint(answer.step?.fix ?? null, answer.step?.hint) }) });
      return;
    }
    if (this.state.attempts >= this.maxAttempts) {
      this.set({ phase: 'timed_out', last: answer });
      return;
    }
    this.set({ phase: 'waiting', last: answer, secondsLeft: this.interval });
    this.tick(gen);
  }

  private tick(gen: number) {
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      if (gen !== this.generation) return;
      const left = this.state.secondsLeft - 1;
      if (left <= 0) {
        void this.tryOnce(gen);
      } else {
        this.set({ secondsLeft: left });
        this.tick(gen);
      }
    }, 1000);
  }
}
