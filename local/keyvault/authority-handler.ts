import type { IncomingMessage, ServerResponse } from 'node:http';
import { EntraError, sendEntraError } from './entra-error.js';
import type { FaultInjector, InjectedFailure } from './fault-injector.js';
import { parseTarget } from './http-io.js';
import type { RequestHandler } from './https-endpoint.js';
import type { RequestCounter } from './request-counter.js';
import type { TokenAuthority } from './token-authority.js';

/** The parts the authority's request pipeline uses. */
export interface AuthorityHandlerParts {
  authority: TokenAuthority;
  faults: FaultInjector;
  counter: RequestCounter;
  admin: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

/** The authority's pipeline: admin calls, then count, inject faults, answer. */
export function createAuthorityHandler(parts: AuthorityHandlerParts): RequestHandler {
  return async (request, response) => {
    const { segments } = parseTarget(request);
    if (segments[0] === '_emulator') return parts.admin(request, response);

    const kind = parts.authority.kindOf(request.method ?? 'GET', segments);
    parts.counter.count(kind ?? 'unknown');
    const failure = await parts.faults.before();
    if (failure !== undefined) return sendEntraError(response, injectedError(failure));
    if (kind === undefined) {
      return sendEntraError(
        response,
        new EntraError(404, 'invalid_request', 900561, 'No such endpoint.'),
      );
    }
    await parts.authority.serve(kind, segments[0] ?? '', request, response);
  };
}

function injectedError(failure: InjectedFailure): EntraError {
  const headers: Record<string, string> =
    failure.status === 500 ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
  const message = 'The authority is busy or unavailable; retry later.';
  return new EntraError(failure.status, 'temporarily_unavailable', 90033, message, headers);
}
