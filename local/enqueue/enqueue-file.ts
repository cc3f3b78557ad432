import { createHash } from 'node:crypto';
import { QueueClient } from '@azure/storage-queue';
import type { IngestMode } from '../../src/ingest/ingest-message.js';
import { chunkMessages, RowTooLargeError } from '../../src/ingest/message-chunks.js';
import { EnqueueError } from './enqueue-error.js';
import type { EnqueueTarget } from './enqueue-target.js';
import type { RowsFile } from './read-rows.js';

/** The app's default MAX_BATCH_ROWS: no message carries more rows than one POST may. */
const MAX_ROWS_PER_MESSAGE = 10_000;
/** Messages in flight at once. */
const PARALLEL_SENDS = 8;

export interface EnqueueRequest {
  entity: string;
  mode: IngestMode;
  file: RowsFile;
  /** Where the rows came from, for messages. */
  path: string;
}

/**
 * Sends a file's rows as ingest messages, base64-encoded as the Functions host expects.
 * Each message's idempotencyKey comes from the entity, mode and file content plus its number,
 * so sending the same file again (say, after a failure half way) writes nothing twice.
 */
export async function enqueueFile(
  request: EnqueueRequest,
  target: EnqueueTarget,
): Promise<{ messages: number; rows: number }> {
  const messages = toMessages(request);
  const queue = new QueueClient(target.connectionString, target.queue);
  await queue.createIfNotExists();
  let next = 0;
  const sender = async () => {
    while (next < messages.length) {
      const text = messages[next++]!;
      await queue.sendMessage(Buffer.from(text, 'utf8').toString('base64'));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_SENDS }, sender));
  return { messages: messages.length, rows: request.file.rows.length };
}

function toMessages(request: EnqueueRequest): string[] {
  const keyPrefix = createHash('sha256')
    .update(`${request.entity}\n${request.mode}\n`)
    .update(request.file.bytes)
    .digest('hex')
    .slice(0, 32);
  try {
    return chunkMessages(request.file.rows, {
      entity: request.entity,
      mode: request.mode,
      keyPrefix: `enqueue-${keyPrefix}`,
      maxRows: MAX_ROWS_PER_MESSAGE,
    });
  } catch (error) {
    if (!(error instanceof RowTooLargeError)) throw error;
    throw new EnqueueError(`${request.path}: ${error.message}; the queue takes 64 KiB a message.`);
  }
}
