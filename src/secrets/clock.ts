/** Milliseconds since the epoch; replaced by a fake in unit tests. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
