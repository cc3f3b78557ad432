import { setTimeout as sleep } from 'node:timers/promises';
import type { StorageQueueFunctionOptions } from '@azure/functions';
import { QueueClient, type DequeuedMessageItem } from '@azure/storage-queue';
import type { FunctionDefinition } from '../../functions/register.js';
import type { Logger } from '../../src/log.js';
import type { FunctionInvoker } from './function-invoker.js';
import type { QueueSettings } from './host-config.js';
import { decodeMessageText, queueTriggerMetadata, toQueueInput } from './queue-message.js';
import { resolveBindingExpression, resolveStorageConnection } from './storage-connection.js';

type QueueDefinition = Extract<FunctionDefinition, { trigger: 'storageQueue' }>;

/** The shortest wait between polls; idle polling doubles it up to maxPollingInterval. */
const MIN_POLLING_INTERVAL_MS = 100;
/**
 * How long a received message stays hidden while its function runs.
 * NOTE: the Functions host renews this lease while a run lasts; this host does not, so a run
 * longer than ten minutes sees its message delivered again. Ends if runs ever need that long.
 */
const PROCESSING_VISIBILITY_SECONDS = 600;

/**
 * Feeds one queue-triggered function from Azure Storage (Azurite offline) the way the
 * Functions host does: batches of `batchSize`, a new batch once the running ones fall to
 * `newBatchThreshold`, polling that backs off to `maxPollingInterval` when idle, delete on
 * success, visible again after `visibilityTimeout` on failure, and after `maxDequeueCount`
 * failures the original message goes to `<queue>-poison`.
 */
export class QueueListener {
  readonly #definition: QueueDefinition;
  readonly #invoker: FunctionInvoker;
  readonly #settings: QueueSettings;
  readonly #logger: Logger;
  readonly #queue: QueueClient;
  readonly #poison: QueueClient;
  readonly #abort = new AbortController();
  readonly #processing = new Set<Promise<void>>();
  #loop: Promise<void> | undefined;

  constructor(
    definition: QueueDefinition,
    invoker: FunctionInvoker,
    settings: QueueSettings,
    hostStorage: string | undefined,
    logger: Logger,
  ) {
    const options: StorageQueueFunctionOptions = definition.options;
    const queueName = resolveBindingExpression(options.queueName, definition.name);
    const connection = resolveStorageConnection(options.connection, hostStorage, definition.name);
    this.#definition = definition;
    this.#invoker = invoker;
    this.#settings = settings;
    this.#logger = logger;
    this.#queue = new QueueClient(connection, queueName);
    this.#poison = new QueueClient(connection, `${queueName}-poison`);
  }

  /** Creates the queue when missing, then polls until stopped. */
  async start(): Promise<void> {
    await this.#queue.createIfNotExists();
    this.#loop = this.#poll();
  }

  /** Stops polling and waits for the messages being processed. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
    await Promise.allSettled([...this.#processing]);
  }

  async #poll(): Promise<void> {
    let delay = MIN_POLLING_INTERVAL_MS;
    while (!this.#abort.signal.aborted) {
      const received = await this.#receive();
      for (const message of received) this.#track(this.#process(message));
      await this.#waitForThreshold();
      if (received.length > 0) {
        delay = MIN_POLLING_INTERVAL_MS;
        continue;
      }
      await this.#pause(delay);
      delay = Math.min(delay * 2, Math.max(this.#settings.maxPollingIntervalMs, delay));
    }
  }

  async #receive(): Promise<DequeuedMessageItem[]> {
    try {
      const response = await this.#queue.receiveMessages({
        numberOfMessages: this.#settings.batchSize,
        visibilityTimeout: PROCESSING_VISIBILITY_SECONDS,
        abortSignal: this.#abort.signal,
      });
      return response.receivedMessageItems;
    } catch (error) {
      if (!this.#abort.signal.aborted) this.#storageProblem('receive', error);
      return [];
    }
  }

  #track(processing: Promise<void>): void {
    this.#processing.add(processing);
    void processing.finally(() => this.#processing.delete(processing));
  }

  async #waitForThreshold(): Promise<void> {
    while (this.#processing.size > this.#settings.newBatchThreshold) {
      await Promise.race(this.#processing);
    }
  }

  async #pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.#abort.signal }).catch(() => undefined);
  }

  async #process(message: DequeuedMessageItem): Promise<void> {
    let text: string;
    try {
      text = decodeMessageText(message.messageText, this.#settings.messageEncoding);
    } catch {
      this.#log('warn', 'Queue message could not be decoded', message, 'BadEncoding');
      await this.#failed(message);
      return;
    }
    const result = await this.#invoker.invoke({
      definition: this.#definition,
      input: toQueueInput(text),
      triggerMetadata: queueTriggerMetadata(message, text, this.#definition.name),
      fields: () => ({
        queue: this.#queue.name,
        messageId: message.messageId,
        dequeueCount: message.dequeueCount,
      }),
    });
    if (result.outcome === 'succeeded') await this.#delete(message);
    else await this.#failed(message);
  }

  async #delete(message: DequeuedMessageItem): Promise<void> {
    try {
      await this.#queue.deleteMessage(message.messageId, message.popReceipt);
    } catch (error) {
      this.#storageProblem('delete', error);
    }
  }

  async #failed(message: DequeuedMessageItem): Promise<void> {
    try {
      if (message.dequeueCount >= this.#settings.maxDequeueCount) await this.#toPoison(message);
      else await this.#release(message);
    } catch (error) {
      this.#storageProblem('release', error);
    }
  }

  async #release(message: DequeuedMessageItem): Promise<void> {
    const seconds = Math.round(this.#settings.visibilityTimeoutMs / 1_000);
    await this.#queue.updateMessage(
      message.messageId,
      message.popReceipt,
      message.messageText,
      seconds,
    );
  }

  async #toPoison(message: DequeuedMessageItem): Promise<void> {
    await this.#poison.createIfNotExists();
    // The original text, still encoded, as the host copies it.
    await this.#poison.sendMessage(message.messageText);
    await this.#queue.deleteMessage(message.messageId, message.popReceipt);
    this.#log('warn', 'Queue message moved to the poison queue', message, undefined);
  }

  #log(
    level: 'warn' | 'error',
    text: string,
    message: DequeuedMessageItem,
    code: string | undefined,
  ): void {
    this.#logger.log(level, text, {
      function: this.#definition.name,
      queue: this.#queue.name,
      messageId: message.messageId,
      dequeueCount: message.dequeueCount,
      code,
    });
  }

  #storageProblem(step: string, error: unknown): void {
    const code = (error as { code?: unknown }).code;
    this.#logger.log('warn', `Queue ${step} failed; the host keeps polling`, {
      function: this.#definition.name,
      queue: this.#queue.name,
      code: typeof code === 'string' ? code : error instanceof Error ? error.name : 'Unknown',
    });
  }
}
