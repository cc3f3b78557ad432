import { VaultgateError } from '../errors.js';
import type { Action } from './config.js';
import type { ApiRequest } from './api-request.js';
import { allows, type EntityDefinition } from './entity-registry.js';

/** The methods each route serves, and the action each method needs. */
const COLLECTION_METHODS = ['GET', 'POST'] as const;
const ITEM_METHODS = ['GET', 'PATCH', 'PUT', 'DELETE'] as const;

/** Which operation a request is: its method on the collection or on one row. */
export type Operation =
  | { kind: 'list' | 'insert'; action: Action }
  | { kind: 'get' | 'update' | 'upsert' | 'delete'; action: Action; key: string };

/**
 * The operation a request asks for, once the entity allows it. A method the route does not
 * serve, or an action the entity does not allow, is a 405 with an Allow header listing
 * what may be done there.
 */
export function routeOperation(
  request: ApiRequest,
  entity: EntityDefinition,
  keyText: string | undefined,
): Operation {
  const method = request.method.toUpperCase();
  const operation =
    keyText === undefined ? collectionOperation(method) : itemOperation(method, keyText, request);
  if (operation === undefined) {
    throw methodNotAllowed(entity, keyText !== undefined, `${method} is not served here`);
  }
  const needed: Action[] = neededActions(operation, request);
  const refused = needed.find((action) => !allows(entity, action));
  if (refused !== undefined) {
    throw methodNotAllowed(
      entity,
      keyText !== undefined,
      `'${entity.name}' does not allow ${refused}`,
    );
  }
  return operation;
}

function collectionOperation(method: string): Operation | undefined {
  if (method === 'GET') return { kind: 'list', action: 'read' };
  if (method === 'POST') return { kind: 'insert', action: 'create' };
  return undefined;
}

function itemOperation(method: string, key: string, request: ApiRequest): Operation | undefined {
  switch (method) {
    case 'GET':
      return { kind: 'get', action: 'read', key };
    case 'PATCH':
      return { kind: 'update', action: 'update', key };
    case 'PUT':
      return { kind: 'upsert', action: request.headers['if-match'] ? 'update' : 'create', key };
    case 'DELETE':
      return { kind: 'delete', action: 'delete', key };
    default:
      return undefined;
  }
}

/** A plain PUT may insert or update, so it needs both; the conditional ones need one. */
function neededActions(operation: Operation, request: ApiRequest): Action[] {
  if (operation.kind !== 'upsert') return [operation.action];
  if (request.headers['if-match'] !== undefined) return ['update'];
  if (request.headers['if-none-match'] !== undefined) return ['create'];
  return ['create', 'update'];
}

/** The methods the entity allows on the collection or on a row, for the Allow header. */
export function allowedMethods(entity: EntityDefinition, item: boolean): string[] {
  const methods = item ? ITEM_METHODS : COLLECTION_METHODS;
  return methods.filter((method) => {
    if (method === 'GET') return allows(entity, 'read');
    if (method === 'POST') return allows(entity, 'create');
    if (method === 'PATCH') return allows(entity, 'update');
    if (method === 'DELETE') return allows(entity, 'delete');
    // Listed when a plain PUT (insert or update) is allowed; the conditional forms need one.
    return allows(entity, 'create') && allows(entity, 'update');
  });
}

/** A 405 that carries the Allow header's value. */
export class MethodNotAllowedError extends VaultgateError {
  readonly allow: string[];

  constructor(message: string, allow: string[]) {
    super(405, 'MethodNotAllowed', message, { target: 'method' });
    this.allow = allow;
  }
}

function methodNotAllowed(entity: EntityDefinition, item: boolean, why: string): VaultgateError {
  const allow = allowedMethods(entity, item);
  const hint = allow.length === 0 ? 'nothing is allowed here' : `allowed: ${allow.join(', ')}`;
  return new MethodNotAllowedError(`${why}; ${hint}`, allow);
}
