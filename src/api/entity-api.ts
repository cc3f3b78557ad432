import type { Database } from '../db/database.js';
import { describeError, VaultgateError } from '../errors.js';
import { silentLogger, type LogFields, type Logger } from '../log.js';
import type { ApiRequest, ApiResponse } from './api-request.js';
import { translateDatabaseError } from './database-errors.js';
import { EntityCatalog } from './entity-catalog.js';
import { getRow, listRows } from './entity-read.js';
import type { EntityDefinition, EntityRegistry } from './entity-registry.js';
import { MethodNotAllowedError, routeOperation, type Operation } from './entity-routes.js';
import { deleteRow, insertRows, updateRow, upsertRow } from './entity-write.js';
import type { OperationContext } from './operation-context.js';
import { lastSegment } from './row-key.js';

export interface EntityApiOptions {
  database: Database;
  registry: EntityRegistry;
  /** Rows one POST may insert (MAX_BATCH_ROWS). */
  maxBatchRows: number;
  /** The Key Vault cache state for the log line: fresh, stale or empty. */
  cacheState?: () => string;
  catalog?: EntityCatalog;
}

/**
 * CRUD over the configured entities, unaware of any host: a request in, a response out,
 * never a throw. Each request writes one log line: entity, action, rows, database ms and
 * the Key Vault cache state.
 */
export class EntityApi {
  readonly registry: EntityRegistry;
  readonly catalog: EntityCatalog;
  readonly #options: EntityApiOptions;

  constructor(options: EntityApiOptions) {
    this.#options = options;
    this.registry = options.registry;
    this.catalog = options.catalog ?? new EntityCatalog();
  }

  async handle(request: ApiRequest, logger: Logger = silentLogger): Promise<ApiResponse> {
    const started = performance.now();
    const context: OperationContext = {
      database: this.#options.database,
      catalog: this.catalog,
      maxBatchRows: this.#options.maxBatchRows,
      stats: { rows: 0, dbMs: 0 },
    };
    let action: string | undefined;
    let unexpected: string | undefined;
    let response: ApiResponse;
    try {
      const entity = this.registry.get(request.params.entity);
      const keyText = request.params.key === undefined ? undefined : lastSegment(request.url);
      const operation = routeOperation(request, entity, keyText);
      action = operation.action;
      response = await run(context, request, entity, operation);
    } catch (error) {
      const translated = translateDatabaseError(error);
      // Unknown errors are logged by name only: their messages may hold SQL or driver text.
      if (!(translated instanceof VaultgateError)) unexpected = nameOf(translated);
      response = errorAnswer(translated);
    }
    const message =
      unexpected === undefined ? 'Answered an entity request.' : `Unexpected ${unexpected}`;
    this.#logRequest(logger, message, request, response, {
      action,
      rows: context.stats.rows,
      dbMs: Math.round(context.stats.dbMs),
      ms: Math.round(performance.now() - started),
    });
    return response;
  }

  /** The one line per request: entity, action, rows, database ms, Key Vault cache state. */
  #logRequest(
    logger: Logger,
    message: string,
    request: ApiRequest,
    response: ApiResponse,
    fields: LogFields,
  ): void {
    logger.log(response.status >= 500 ? 'warn' : 'info', message, {
      entity: request.params.entity.slice(0, 64),
      status: response.status,
      code: errorCode(response),
      cache: this.#options.cacheState?.(),
      ...fields,
    });
  }
}

function run(
  context: OperationContext,
  request: ApiRequest,
  entity: EntityDefinition,
  operation: Operation,
): Promise<ApiResponse> {
  switch (operation.kind) {
    case 'list':
      return listRows(context, request, entity);
    case 'insert':
      return insertRows(context, request, entity);
    case 'get':
      return getRow(context, request, entity, operation.key);
    case 'update':
      return updateRow(context, request, entity, operation.key);
    case 'upsert':
      return upsertRow(context, request, entity, operation.key);
    case 'delete':
      return deleteRow(context, entity, operation.key);
  }
}

/** The error contract as a response; a 405 also says what is allowed. */
export function errorAnswer(error: unknown): ApiResponse {
  const { status, headers, body } = describeError(error);
  if (error instanceof MethodNotAllowedError) headers.Allow = error.allow.join(', ');
  return { status, headers: { 'Cache-Control': 'no-store', ...headers }, body };
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function errorCode(response: ApiResponse): string | undefined {
  const body = response.body as { error?: { code?: string } } | undefined;
  return response.status >= 400 ? body?.error?.code : undefined;
}
