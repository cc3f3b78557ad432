import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-io.js';

/** An OAuth error the authority answers in Entra ID's shape, with an AADSTS code. */
export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadstsCode: number,
    description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'EntraError';
  }
}

/**
 * Writes the error as Entra ID does: the OAuth `error`, and an `error_description` that starts
 * with the AADSTS code and ends with the trace and correlation ids and the time.
 */
export function sendEntraError(
  response: ServerResponse,
  error: EntraError,
  correlationId = randomUUID(),
): void {
  const traceId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const description =
    `AADSTS${error.aadstsCode}: ${error.message} Trace ID: ${traceId} ` +
    `Correlation ID: ${correlationId} Timestamp: ${timestamp}`;
  sendJson(
    response,
    error.status,
    {
      error: error.error,
      error_description: description,
      error_codes: [error.aadstsCode],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    },
    error.headers,
  );
}
