/** A problem the user fixes by doing what the one-sentence message says. */
export class EnqueueError extends Error {
  override name = 'EnqueueError';
}
