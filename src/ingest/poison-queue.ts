import type { QueueClient } from '@azure/storage-queue';
import { MAX_MESSAGE_CHARS } from './ingest-queue.js';

/** Why a message was parked: the error's code and message, when, and by which invocation. */
export interface ParkReason {
  code: string;
  message: string;
  /** ISO 8601, UTC. */
  time: string;
  invocationId: string;
  messageId: string | undefined;
  /** The field or row at fault, when the error names one. */
  target?: string;
}

/** What a parked message holds in the poison queue (JSON, then base64 like the host's). */
export interface PoisonEnvelope {
  /** The message text as received (decoded from base64). */
  original: string;
  reason: ParkReason;
}

/** How a message was parked: in its envelope, or bare when the envelope would not fit. */
export type ParkedAs = 'envelope' | 'original';

/**
 * The poison queue of the ingest trigger. The trigger parks bad messages here itself, at
 * once, each in an envelope with the reason; the host puts messages there too, bare, after
 * maxDequeueCount failed attempts.
 */
export class PoisonQueue {
  readonly #client: QueueClient;
  #created: Promise<unknown> | undefined;

  constructor(client: QueueClient) {
    this.#client = client;
  }

  get name(): string {
    return this.#client.name;
  }

  /**
   * Sends the envelope. An envelope over the 64 KiB limit (a large original, JSON-escaped)
   * is replaced by the original alone, as the host parks messages; the caller logs the reason.
   */
  async park(envelope: PoisonEnvelope): Promise<ParkedAs> {
    await this.#ensureCreated();
    const encoded = encode(JSON.stringify(envelope));
    if (encoded.length <= MAX_MESSAGE_CHARS) {
      await this.#client.sendMessage(encoded);
      return 'envelope';
    }
    await this.#client.sendMessage(encode(envelope.original));
    return 'original';
  }

  #ensureCreated(): Promise<unknown> {
    this.#created ??= this.#client.createIfNotExists().catch((error: unknown) => {
      this.#created = undefined;
      throw error;
    });
    return this.#created;
  }
}

function encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
