import type { EntityCatalog } from '../api/entity-catalog.js';
import type { EntityDefinition, EntityRegistry } from '../api/entity-registry.js';
import type { OperationContext } from '../api/operation-context.js';
import type { Database } from '../db/database.js';
import { VaultgateError } from '../errors.js';
import type { LogFields, Logger } from '../log.js';
import { failureAction } from './ingest-failure.js';
import { parseIngestMessage, type IngestMessage } from './ingest-message.js';
import { ingestRows } from './ingest-write.js';
import { messageText, notJson } from './message-text.js';
import type { ParkedAs, PoisonQueue } from './poison-queue.js';

export interface IngestorOptions {
  database: Database;
  registry: EntityRegistry;
  catalog: EntityCatalog;
  poison: PoisonQueue;
  /** The most rows one message may carry (MAX_BATCH_ROWS, as for one POST). */
  maxRows: number;
  /** The Key Vault cache state for the log line: fresh, stale or empty. */
  cacheState?: () => string;
  clock?: () => Date;
}

/** One delivery of a queue message, from the trigger's metadata. */
export interface Delivery {
  messageId: string | undefined;
  dequeueCount: number | undefined;
  invocationId: string;
}

/** How a message ended: written (or found written before), or parked with its reason. */
export type IngestOutcome =
  | { kind: 'written'; entity: string; rows: number; replayed: boolean }
  | { kind: 'parked'; code: string; parkedAs: ParkedAs };

/**
 * The queue trigger's work, unaware of any host: a message in, its rows written exactly once.
 * A message at fault is parked in the poison queue with the reason and the call returns; any
 * other failure is thrown, so the host delivers the message again later. Each message writes
 * one log line.
 */
export class Ingestor {
  readonly #options: IngestorOptions;

  constructor(options: IngestorOptions) {
    this.#options = options;
  }

  async handle(input: unknown, delivery: Delivery, logger: Logger): Promise<IngestOutcome> {
    const started = performance.now();
    const context = this.#context();
    const { text, value } = messageText(input);
    let entityName: string | undefined;
    try {
      if (value === undefined) throw notJson();
      const message = parseIngestMessage(value, this.#options.maxRows);
      entityName = message.entity;
      const entity = this.#openEntity(message);
      const key = message.idempotencyKey ?? delivery.messageId;
      if (key === undefined) throw noKey();
      const result = await ingestRows(context, entity, message, key);
      this.#log(logger, 'info', 'Ingested a queue message.', started, context, delivery, {
        entity: entity.name,
        action: message.mode,
        rows: result.rows,
        outcome: result.replayed ? 'replayed' : 'written',
      });
      return { kind: 'written', entity: entity.name, ...result };
    } catch (error) {
      const fields = { entity: entityName?.slice(0, 64), code: codeOf(error) };
      if (failureAction(error) === 'retry') {
        this.#log(
          logger,
          'warn',
          'A queue message failed; the host retries it.',
          started,
          context,
          delivery,
          {
            ...fields,
            outcome: 'retry',
          },
        );
        throw error;
      }
      const parkedAs = await this.#park(text, error as VaultgateError, delivery);
      this.#log(
        logger,
        'warn',
        `Parked a queue message: ${(error as Error).message}`,
        started,
        context,
        delivery,
        {
          ...fields,
          outcome: parkedAs === 'envelope' ? 'parked' : 'parked-bare',
          queue: this.#options.poison.name,
        },
      );
      return { kind: 'parked', code: (error as VaultgateError).code, parkedAs };
    }
  }

  #context(): OperationContext {
    const { database, catalog, maxRows } = this.#options;
    return { database, catalog, maxBatchRows: maxRows, stats: { rows: 0, dbMs: 0 } };
  }

  #openEntity(message: IngestMessage): EntityDefinition {
    const entity = this.#options.registry.get(message.entity);
    if (entity.ingest) return entity;
    throw new VaultgateError(
      403,
      'IngestNotAllowed',
      `the entity '${entity.name}' does not take queue messages; its configuration needs ` +
        '"ingest": true',
      { target: 'entity' },
    );
  }

  #park(original: string, error: VaultgateError, delivery: Delivery): Promise<ParkedAs> {
    const time = (this.#options.clock?.() ?? new Date()).toISOString();
    const reason = {
      code: error.code,
      message: error.message,
      time,
      invocationId: delivery.invocationId,
      messageId: delivery.messageId,
      ...(error.target === undefined ? {} : { target: error.target }),
    };
    return this.#options.poison.park({ original, reason });
  }

  #log(
    logger: Logger,
    level: 'info' | 'warn',
    message: string,
    started: number,
    context: OperationContext,
    delivery: Delivery,
    fields: LogFields,
  ): void {
    logger.log(level, message, {
      ...fields,
      messageId: delivery.messageId,
      dequeueCount: delivery.dequeueCount,
      dbMs: Math.round(context.stats.dbMs),
      cache: this.#options.cacheState?.(),
      ms: Math.round(performance.now() - started),
    });
  }
}

function noKey(): VaultgateError {
  return new VaultgateError(
    400,
    'BadMessage',
    'the message has no idempotencyKey and its delivery no message id; add "idempotencyKey"',
    { target: 'idempotencyKey' },
  );
}

/** A stable name for the log line; messages of unknown errors stay out, they may hold SQL. */
function codeOf(error: unknown): string {
  if (error instanceof VaultgateError) return error.code;
  return error instanceof Error ? error.name : typeof error;
}
