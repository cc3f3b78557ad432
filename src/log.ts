/**
 * Structured logging with an allow-list: only the fields named here reach a log line, and
 * every value passes through the redactor, which hides any text registered as sensitive
 * (connection strings, passwords, tokens) wherever it appears.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogValue = string | number | boolean | null | undefined;
export type LogFields = Record<string, LogValue>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/** Field names that may be logged. Anything else is dropped, whatever it holds. */
export const LOGGABLE_FIELDS: ReadonlySet<string> = new Set([
  'function',
  'invocationId',
  'trigger',
  'outcome',
  'ms',
  'entity',
  'action',
  'rows',
  'dbMs',
  'cache',
  'engine',
  'secretVersion',
  'keyVaultMs',
  'code',
  'status',
  'attempt',
  'job',
  'run',
  'batches',
  'queue',
  'messageId',
  'dequeueCount',
  'port',
  'url',
  'reason',
]);

const sensitive = new Set<string>();
const HIDDEN = '[hidden]';

/** Registers a value (a secret, or a part of one) that must never appear in any output. */
export function registerSensitive(value: string | undefined): void {
  // Very short values would hide ordinary words; a password that short is not one we guard.
  if (value !== undefined && value.length >= 4) sensitive.add(value);
}

/** Replaces every registered sensitive value in the text. */
export function redact(text: string): string {
  let result = text;
  for (const value of sensitive) {
    if (result.includes(value)) result = result.split(value).join(HIDDEN);
  }
  return result;
}

/** Keeps the allowed fields, redacted; the rest are dropped. */
export function safeFields(fields: LogFields = {}): LogFields {
  const kept: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    if (!LOGGABLE_FIELDS.has(name) || value === undefined) continue;
    kept[name] = typeof value === 'string' ? redact(value) : value;
  }
  return kept;
}

/** One JSON line per entry, for processes that are not inside an invocation. */
export function formatLine(level: LogLevel, message: string, fields?: LogFields): string {
  return JSON.stringify({ level, message: redact(message), ...safeFields(fields) });
}

/** A logger that drops everything; the default for code run without a host. */
export const silentLogger: Logger = { log: () => undefined };
