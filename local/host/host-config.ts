import { ConfigurationError } from '../../src/errors.js';
import { parseTimeSpan } from './time-span.js';

/** How queue messages are encoded, as `extensions.queues.messageEncoding` names it. */
export type MessageEncoding = 'base64' | 'none';

/** The queue settings of host.json, with the Functions host's defaults filled in. */
export interface QueueSettings {
  batchSize: number;
  newBatchThreshold: number;
  maxDequeueCount: number;
  visibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
  messageEncoding: MessageEncoding;
}

/** The parts of host.json the offline host reads, in the units it uses. */
export interface HostConfig {
  routePrefix: string;
  /** `extensions.http.customHeaders`: added to every HTTP response that lacks them. */
  customHeaders: Record<string, string>;
  /** Undefined when host.json sets `-1` (no limit). */
  functionTimeoutMs: number | undefined;
  queues: QueueSettings;
  /** `logging.logLevel`: category (`default`, `Function`, `Function.<name>`...) to level. */
  logLevels: Record<string, string>;
}

/** The limit of a dedicated plan and of Core Tools; host.json may lower or raise it. */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 30 * 60_000;

const QUEUE_DEFAULTS = {
  batchSize: 16,
  maxDequeueCount: 5,
  visibilityTimeoutMs: 0,
  maxPollingIntervalMs: 60_000,
  messageEncoding: 'base64',
} as const;

type Json = Record<string, unknown>;

/** Reads host.json (already parsed) the way the Functions host does, with its defaults. */
export function readHostConfig(hostJson: unknown): HostConfig {
  const root = asObject(hostJson, 'host.json');
  const extensions = asObject(root.extensions ?? {}, 'extensions');
  const http = asObject(extensions.http ?? {}, 'extensions.http');
  const logging = asObject(root.logging ?? {}, 'logging');
  return {
    routePrefix: readRoutePrefix(http.routePrefix),
    customHeaders: readCustomHeaders(http.customHeaders),
    functionTimeoutMs: readFunctionTimeout(root.functionTimeout),
    queues: readQueueSettings(asObject(extensions.queues ?? {}, 'extensions.queues')),
    logLevels: readLogLevels(logging.logLevel),
  };
}

function readRoutePrefix(value: unknown): string {
  if (value === undefined) return 'api';
  if (typeof value !== 'string') {
    throw new ConfigurationError('host.json extensions.http.routePrefix must be a string.');
  }
  return value.replace(/^\/+|\/+$/g, '');
}

function readCustomHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, text] of Object.entries(
    asObject(value ?? {}, 'extensions.http.customHeaders'),
  )) {
    if (typeof text !== 'string') {
      throw new ConfigurationError(
        `host.json extensions.http.customHeaders.${name} must be a string.`,
      );
    }
    headers[name] = text;
  }
  return headers;
}

function readFunctionTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null) return DEFAULT_FUNCTION_TIMEOUT_MS;
  if (value === '-1' || value === -1) return undefined;
  return readDuration(value, 'functionTimeout');
}

function readQueueSettings(queues: Json): QueueSettings {
  const batchSize = readInteger(queues.batchSize, 'batchSize', QUEUE_DEFAULTS.batchSize, 1, 32);
  return {
    batchSize,
    newBatchThreshold: readInteger(
      queues.newBatchThreshold,
      'newBatchThreshold',
      Math.floor(batchSize / 2),
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    maxDequeueCount: readInteger(
      queues.maxDequeueCount,
      'maxDequeueCount',
      QUEUE_DEFAULTS.maxDequeueCount,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    visibilityTimeoutMs:
      queues.visibilityTimeout === undefined
        ? QUEUE_DEFAULTS.visibilityTimeoutMs
        : readDuration(queues.visibilityTimeout, 'extensions.queues.visibilityTimeout'),
    maxPollingIntervalMs:
      queues.maxPollingInterval === undefined
        ? QUEUE_DEFAULTS.maxPollingIntervalMs
        : readDuration(queues.maxPollingInterval, 'extensions.queues.maxPollingInterval'),
    messageEncoding: readEncoding(queues.messageEncoding),
  };
}

function readEncoding(value: unknown): MessageEncoding {
  if (value === undefined) return QUEUE_DEFAULTS.messageEncoding;
  const text = String(value).toLowerCase();
  if (text === 'base64' || text === 'none') return text;
  throw new ConfigurationError(
    'host.json extensions.queues.messageEncoding must be "base64" or "none".',
  );
}

function readLogLevels(value: unknown): Record<string, string> {
  const levels: Record<string, string> = {};
  for (const [category, level] of Object.entries(asObject(value ?? {}, 'logging.logLevel'))) {
    if (typeof level === 'string') levels[category] = level;
  }
  return levels;
}

function readDuration(value: unknown, setting: string): number {
  const ms = typeof value === 'string' ? parseTimeSpan(value) : undefined;
  if (ms === undefined || ms < 0) {
    throw new ConfigurationError(
      `host.json ${setting} must be a duration such as "00:05:00" (hours:minutes:seconds).`,
    );
  }
  return ms;
}

function readInteger(value: unknown, name: string, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(
      `host.json extensions.queues.${name} must be a whole number from ${min} to ${max}.`,
    );
  }
  return value;
}

function asObject(value: unknown, setting: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(`${setting} must be a JSON object.`);
  }
  return value as Json;
}
