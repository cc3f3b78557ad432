import { ConfigurationError } from '../errors.js';
import type { Environment } from '../settings/settings.js';

/** The queue the `ingest` trigger reads when INGEST_QUEUE is not set. */
export const DEFAULT_INGEST_QUEUE = 'vaultgate-ingest';

/** The largest message Azure Storage queues take: 64 KiB of (base64) message text. */
export const MAX_MESSAGE_CHARS = 64 * 1024;

// Lower-case letters, digits and single dashes; 3 to 56 characters so `-poison` still fits 63.
const QUEUE_NAME = /^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$/;

/** INGEST_QUEUE, checked, or the default; a mistake names the setting. */
export function ingestQueueName(env: Environment = process.env): string {
  const value = env.INGEST_QUEUE?.trim();
  if (value === undefined || value === '') return DEFAULT_INGEST_QUEUE;
  if (QUEUE_NAME.test(value)) return value;
  throw new ConfigurationError(
    `INGEST_QUEUE must be a storage queue name: 3 to 56 lower-case letters, digits and single ` +
      `dashes, starting and ending with a letter or digit, not '${value.slice(0, 64)}'.`,
  );
}

/** Where the trigger's parked messages go, beside the host's own poison messages. */
export function poisonQueueName(queue: string): string {
  return `${queue}-poison`;
}
