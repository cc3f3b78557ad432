import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseTarget, readBody, sendJson } from './http-io.js';
import type {
  FaultControls,
  FaultPlan,
  FaultState,
  RequestKind,
  SecretPermission,
} from './types.js';
import { VaultApiError, badParameter, sendVaultError } from './vault-error.js';

/** The header that carries the emulator's admin key. */
export const ADMIN_KEY_HEADER = 'x-emulator-admin-key';

const PERMISSIONS: ReadonlySet<string> = new Set([
  'get',
  'list',
  'set',
  'delete',
  'recover',
  'purge',
]);

/** What admin calls can change; the emulator handle provides it. */
export interface AdminControls {
  readonly faults: FaultControls;
  setSecret(name: string, value: string): string;
  setPermissions(clientId: string, permissions: SecretPermission[], clientSecret?: string): boolean;
  readonly requestCount: Record<RequestKind, number>;
  resetRequestCount(): void;
}

/**
 * `/_emulator/...`, a path Key Vault does not have, for tests and `npm start`:
 * - `GET|PUT|DELETE /_emulator/faults?target=vault|authority` (PUT body: a FaultPlan)
 * - `PUT /_emulator/secrets/{name}` with `{"value": "..."}` -> `{"name", "version"}`
 * - `PUT /_emulator/registrations/{clientId}` with `{"permissions": [...], "clientSecret"?}`
 * - `GET|DELETE /_emulator/requests` (the request counts)
 * Every call needs the admin key in the `x-emulator-admin-key` header.
 */
export function createAdminHandler(adminKey: string, controls: AdminControls) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      if (!keyMatches(request.headers[ADMIN_KEY_HEADER], adminKey)) {
        throw new VaultApiError(
          401,
          'Unauthorized',
          `The ${ADMIN_KEY_HEADER} header is missing or wrong.`,
        );
      }
      const { segments, query } = parseTarget(request);
      const body = await readJsonObject(request);
      const answer = await dispatch(
        controls,
        request.method ?? 'GET',
        segments.slice(1),
        query,
        body,
      );
      sendJson(response, 200, answer);
    } catch (error) {
      sendVaultError(response, asAdminError(error));
    }
  };
}

async function dispatch(
  controls: AdminControls,
  method: string,
  path: string[],
  query: URLSearchParams,
  body: Record<string, unknown>,
): Promise<unknown> {
  const [resource, name] = path;
  if (resource === 'faults' && name === undefined) return faults(controls, method, query, body);
  if (resource === 'requests' && name === undefined) return requests(controls, method);
  if (resource === 'secrets' && name && method === 'PUT') return putSecret(controls, name, body);
  if (resource === 'registrations' && name && method === 'PUT') {
    return putRegistration(controls, name, body);
  }
  throw new VaultApiError(404, 'NotFound', 'The emulator has no such admin call.');
}

async function faults(
  controls: AdminControls,
  method: string,
  query: URLSearchParams,
  body: Record<string, unknown>,
): Promise<FaultState> {
  const target = query.get('target') ?? 'vault';
  if (target !== 'vault' && target !== 'authority') {
    throw badParameter("target must be 'vault' or 'authority'.");
  }
  if (method === 'PUT') return controls.faults.set(body as FaultPlan, target);
  if (method === 'DELETE') await controls.faults.clear(target);
  return controls.faults.state(target);
}

function requests(controls: AdminControls, method: string): Record<RequestKind, number> {
  if (method === 'DELETE') controls.resetRequestCount();
  return controls.requestCount;
}

function putSecret(controls: AdminControls, name: string, body: Record<string, unknown>): unknown {
  if (typeof body.value !== 'string') throw badParameter('Property value must be a string.');
  return { name, version: controls.setSecret(name, body.value) };
}

function putRegistration(
  controls: AdminControls,
  clientId: string,
  body: Record<string, unknown>,
): unknown {
  const permissions = body.permissions;
  if (!Array.isArray(permissions) || !permissions.every((entry) => PERMISSIONS.has(entry))) {
    throw badParameter(`permissions must be a list drawn from ${[...PERMISSIONS].join(', ')}.`);
  }
  const clientSecret = typeof body.clientSecret === 'string' ? body.clientSecret : undefined;
  if (!controls.setPermissions(clientId, permissions as SecretPermission[], clientSecret)) {
    throw new VaultApiError(
      404,
      'NotFound',
      `No application '${clientId}' is registered; send clientSecret to add it.`,
    );
  }
  return { clientId, permissions };
}

function keyMatches(given: string | string[] | undefined, adminKey: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(adminKey));
}

async function readJsonObject(request: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(request);
  if (text === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Answered below, as any body that is not an object.
  }
  throw badParameter('The body must be a JSON object.');
}

function asAdminError(error: unknown): VaultApiError {
  if (error instanceof VaultApiError) return error;
  if (error instanceof RangeError) return badParameter(error.message);
  return new VaultApiError(500, 'InternalServerError', 'The admin call failed.');
}
