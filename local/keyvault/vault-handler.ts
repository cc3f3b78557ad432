import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector, InjectedFailure } from './fault-injector.js';
import { BodyTooLargeError, parseTarget, readBody, sendJson } from './http-io.js';
import type { RequestHandler } from './https-endpoint.js';
import type { Registry } from './registry.js';
import type { RequestCounter } from './request-counter.js';
import { TokenRejectedError, VAULT_RESOURCE, type TokenKeys } from './token-keys.js';
import type { VaultRoute, VaultRoutes } from './vault-routes.js';
import { VaultApiError, badParameter, sendVaultError } from './vault-error.js';

/** The parts the vault's request pipeline uses. */
export interface VaultHandlerParts {
  routes: VaultRoutes;
  keys: TokenKeys;
  registry: Registry;
  faults: FaultInjector;
  counter: RequestCounter;
  /** Serves `/_emulator/...`; those requests skip faults and authentication. */
  admin: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** `<authority host>/<tenant>`, sent in the challenge. */
  authority: string;
  /** How error messages name this vault. */
  vaultName: string;
}

const API_VERSION = /^(\d+\.\d+|\d{4}-\d{2}-\d{2})(-preview(\.\d+)?)?$/;

/**
 * The vault's pipeline, in Key Vault's order: count, inject faults, authenticate (challenge
 * when there is no token), check api-version, check the access policy, then do the work.
 */
export function createVaultHandler(parts: VaultHandlerParts): RequestHandler {
  return async (request, response) => {
    const { segments, query } = parseTarget(request);
    if (segments[0] === '_emulator') return parts.admin(request, response);

    const route = parts.routes.match(request.method ?? 'GET', segments);
    const token = bearerToken(request);
    parts.counter.count(token === undefined ? 'challenge' : (route?.kind ?? 'unknown'));

    const failure = await parts.faults.before();
    if (failure !== undefined) return sendVaultError(response, injectedError(failure));
    try {
      const clientId = await authenticate(parts, token);
      checkApiVersion(query.get('api-version'));
      const answer = await runRoute(parts, route, clientId, request, query);
      sendJson(response, answer.status, answer.body);
    } catch (error) {
      sendVaultError(response, asVaultError(error, parts.authority));
    }
  };
}

async function authenticate(parts: VaultHandlerParts, token: string | undefined): Promise<string> {
  if (token === undefined) {
    throw unauthorized(
      'AKV10000: The request carries no bearer token; get one from the challenge.',
    );
  }
  return (await parts.keys.verify(token)).clientId;
}

async function runRoute(
  parts: VaultHandlerParts,
  route: VaultRoute | undefined,
  clientId: string,
  request: IncomingMessage,
  query: URLSearchParams,
): Promise<{ status: number; body?: unknown }> {
  if (route === undefined) {
    throw new VaultApiError(404, 'NotFound', 'The vault has no such operation.');
  }
  if (!parts.registry.allows(clientId, route.permission)) {
    throw forbiddenByPolicy(clientId, route.permission, parts.vaultName);
  }
  return route.run({ query, body: await readJson(request) });
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function checkApiVersion(version: string | null): void {
  if (version === null) throw badParameter("The 'api-version' query parameter is missing.");
  if (!API_VERSION.test(version)) {
    throw badParameter(`The specified version (${version}) is not recognized.`);
  }
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badParameter('The request body is not valid JSON.');
  }
}

function unauthorized(message: string): VaultApiError {
  return new VaultApiError(401, 'Unauthorized', message);
}

function forbiddenByPolicy(clientId: string, permission: string, vaultName: string): VaultApiError {
  return new VaultApiError(
    403,
    'Forbidden',
    `The application '${clientId}' does not have secrets ${permission} permission on key vault ` +
      `'${vaultName}'. Grant it in the vault's access policy.`,
    'ForbiddenByPolicy',
  );
}

function injectedError(failure: InjectedFailure): VaultApiError {
  const headers: Record<string, string> =
    failure.status === 500 ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
  if (failure.status === 429) {
    return new VaultApiError(
      429,
      'Throttled',
      'Too many requests; retry after the time in Retry-After.',
      undefined,
      headers,
    );
  }
  if (failure.status === 503) {
    return new VaultApiError(
      503,
      'ServiceUnavailable',
      'The vault is unavailable; retry later.',
      undefined,
      headers,
    );
  }
  return new VaultApiError(500, 'InternalServerError', 'The vault failed to process the request.');
}

/** Turns anything thrown into a Key Vault error; 401s carry the challenge, as Key Vault's do. */
function asVaultError(error: unknown, authority: string): VaultApiError {
  if (error instanceof TokenRejectedError)
    return withChallenge(unauthorized(error.message), authority);
  if (error instanceof BodyTooLargeError)
    return new VaultApiError(413, 'RequestTooLarge', error.message);
  if (!(error instanceof VaultApiError)) {
    return new VaultApiError(
      500,
      'InternalServerError',
      'The vault failed to process the request.',
    );
  }
  return error.status === 401 ? withChallenge(error, authority) : error;
}

function withChallenge(error: VaultApiError, authority: string): VaultApiError {
  const challenge = `Bearer authorization="${authority}", resource="${VAULT_RESOURCE}"`;
  return new VaultApiError(error.status, error.code, error.message, error.innerCode, {
    ...error.headers,
    'www-authenticate': challenge,
  });
}
