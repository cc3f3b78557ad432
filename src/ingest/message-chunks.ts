import type { IngestMode } from './ingest-message.js';
import { MAX_MESSAGE_CHARS } from './ingest-queue.js';

export interface ChunkOptions {
  entity: string;
  mode: IngestMode;
  /** Each message's idempotencyKey is this prefix, a dash and the message's number. */
  keyPrefix: string;
  /** The most rows per message (MAX_BATCH_ROWS on the app). */
  maxRows: number;
  /** The most base64 characters per message; default the queue's 64 KiB. */
  maxEncodedChars?: number;
}

/** A row that cannot travel in any message, even alone. */
export class RowTooLargeError extends Error {
  constructor(
    readonly index: number,
    limit: number,
  ) {
    super(`row ${index} is too large for one queue message (over ${limit} base64 characters)`);
    this.name = 'RowTooLargeError';
  }
}

/**
 * Splits rows into queue messages of the ingest contract, each under the size limit once
 * base64-encoded, rows kept in order. Keys are numbered from the prefix, so sending the same
 * rows again with the same prefix gives the same keys and writes nothing twice.
 */
export function chunkMessages(rows: readonly unknown[], options: ChunkOptions): string[] {
  const limit = options.maxEncodedChars ?? MAX_MESSAGE_CHARS;
  const messages: string[] = [];
  let chunk: string[] = [];
  let bytes = 0;
  rows.forEach((row, index) => {
    const json = JSON.stringify(row) ?? 'null';
    const rowBytes = Buffer.byteLength(json, 'utf8');
    const head = emptyMessageBytes(options, messages.length);
    // One comma between rows; the empty message already holds the brackets.
    const grown = bytes + rowBytes + (chunk.length > 0 ? 1 : 0);
    if (chunk.length < options.maxRows && encoded(head + grown) <= limit) {
      chunk.push(json);
      bytes = grown;
      return;
    }
    if (chunk.length > 0) messages.push(messageJson(chunk, options, messages.length));
    if (encoded(emptyMessageBytes(options, messages.length) + rowBytes) > limit) {
      throw new RowTooLargeError(index, limit);
    }
    chunk = [json];
    bytes = rowBytes;
  });
  if (chunk.length > 0) messages.push(messageJson(chunk, options, messages.length));
  return messages;
}

function messageJson(rowsJson: readonly string[], options: ChunkOptions, number: number): string {
  const head = JSON.stringify({
    entity: options.entity,
    mode: options.mode,
    idempotencyKey: `${options.keyPrefix}-${number}`,
  });
  return `${head.slice(0, -1)},"rows":[${rowsJson.join(',')}]}`;
}

function emptyMessageBytes(options: ChunkOptions, number: number): number {
  return Buffer.byteLength(messageJson([], options, number), 'utf8');
}

function encoded(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}
