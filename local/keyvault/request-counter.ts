import { REQUEST_KINDS, type RequestKind } from './types.js';

/** Counts the requests each kind received, so tests can tell how often a client called. */
export class RequestCounter {
  private counts = zeroCounts();

  count(kind: RequestKind): void {
    this.counts[kind] += 1;
  }

  /** A copy of the counts, every kind present. */
  snapshot(): Record<RequestKind, number> {
    return { ...this.counts };
  }

  reset(): void {
    this.counts = zeroCounts();
  }
}

function zeroCounts(): Record<RequestKind, number> {
  return Object.fromEntries(REQUEST_KINDS.map((kind) => [kind, 0])) as Record<RequestKind, number>;
}
