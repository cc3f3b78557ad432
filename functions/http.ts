import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { describeError, VaultgateError } from '../src/errors.js';
import { formatLine, type Logger } from '../src/log.js';

/** Logs through the invocation context, as one allow-listed JSON line per entry. */
export function contextLogger(context: InvocationContext): Logger {
  return {
    log(level, message, fields) {
      const line = formatLine(level, message, {
        function: context.functionName,
        invocationId: context.invocationId,
        ...fields,
      });
      if (level === 'debug') context.debug(line);
      else if (level === 'info') context.info(line);
      else if (level === 'warn') context.warn(line);
      else context.error(line);
    },
  };
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponseInit {
  return {
    status,
    jsonBody: body,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  };
}

/** The one place an error becomes a response; unknown errors are logged by name only. */
export function errorResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  const { status, headers, body } = describeError(error);
  const logger = contextLogger(context);
  if (error instanceof VaultgateError) {
    logger.log(status >= 500 ? 'warn' : 'info', error.message, { status, code: error.code });
  } else {
    const name = error instanceof Error ? error.name : typeof error;
    logger.log('error', `Unexpected ${name}`, { status });
  }
  return jsonResponse(status, body, headers);
}
