/**
 * The few error classes of Vaultgate. Each carries the HTTP status and the stable `code` of
 * the error contract in shared/DESIGN.md; `describeError` is the one place that turns
 * anything thrown into that contract.
 */

export interface ErrorOptions {
  /** The query option, header, setting or field at fault, e.g. `$filter`. */
  target?: string;
  /** Seconds after which a retry may succeed; sent as Retry-After with a 503 or 429. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** An error a caller can act on: its message is safe to show and names what is at fault. */
export class VaultgateError extends Error {
  readonly status: number;
  readonly code: string;
  readonly target: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.target = options.target;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A setting or configuration file that cannot be used; the message names the setting. */
export class ConfigurationError extends VaultgateError {
  constructor(message: string, options: ErrorOptions = {}) {
    super(500, 'ConfigurationError', message, options);
  }
}

/** Key Vault or the database cannot be reached or refuses us: worth retrying later. */
export class DependencyError extends VaultgateError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(503, code, message, { retryAfterSeconds: 5, ...options });
  }
}

export interface ErrorDescription {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string; target?: string } };
}

/**
 * Turns anything thrown into the HTTP error contract. Unknown errors become a plain 500 with
 * no detail: their messages may carry SQL text or driver internals.
 */
export function describeError(error: unknown): ErrorDescription {
  if (!(error instanceof VaultgateError)) {
    return {
      status: 500,
      headers: {},
      body: { error: { code: 'InternalError', message: 'An unexpected error occurred.' } },
    };
  }
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(Math.ceil(error.retryAfterSeconds));
  }
  const body: ErrorDescription['body'] = { error: { code: error.code, message: error.message } };
  if (error.target !== undefined) body.error.target = error.target;
  return { status: error.status, headers, body };
}
