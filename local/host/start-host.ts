import { randomBytes } from 'node:crypto';
import type { FunctionDefinition } from '../../functions/register.js';
import { registerSensitive, type Logger } from '../../src/log.js';
import { consoleLogger } from './console-logger.js';
import { FunctionInvoker } from './function-invoker.js';
import { readHostConfig } from './host-config.js';
import { HttpListener } from './http-listener.js';
import { HttpRouteTable } from './http-route-table.js';
import { QueueListener } from './queue-listener.js';
import { DEFAULT_MAX_REQUEST_BODY_BYTES } from './read-request-body.js';
import { TimerListener } from './timer-listener.js';
import { MemoryTimerStatusStore, type TimerStatusStore } from './timer-status-store.js';

/** How to run the offline Functions host. */
export interface HostOptions {
  /** The functions to serve, usually from `loadDefinitions`. */
  definitions: readonly FunctionDefinition[];
  /** host.json, parsed. */
  hostJson: unknown;
  /** Default 7071, as Core Tools; 0 lets the OS choose. */
  port?: number;
  /** Default 127.0.0.1; the host never needs another address offline. */
  host?: string;
  /** Opens functions of authLevel `function`. */
  functionKey: string;
  /** Opens every function, `admin` ones included; a random key when not given. */
  masterKey?: string;
  /** Stands in for the AzureWebJobsStorage app setting (e.g. Azurite's connection string). */
  storageConnectionString?: string;
  logger?: Logger;
  /** Default 100 MB, as the Functions host. */
  maxRequestBodyBytes?: number;
  /** Where timers keep schedule status between starts; default: this host's memory. */
  timerStatusStore?: TimerStatusStore;
  /** How long stop() waits for running invocations; default 10 s. */
  stopTimeoutMs?: number;
}

/** A running host. */
export interface RunningHost {
  /** The base URL, e.g. http://127.0.0.1:7071 (functions sit under the route prefix). */
  url: string;
  port: number;
  /** Stops triggers, waits (bounded) for running invocations, closes every socket. */
  stop(): Promise<void>;
}

/**
 * Starts the offline Functions host: HTTP functions on a local port, timers on their
 * schedules, queue functions fed from storage, all with host.json's settings.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const config = readHostConfig(options.hostJson);
  const logger = options.logger ?? consoleLogger;
  const masterKey = options.masterKey ?? randomBytes(32).toString('base64url');
  for (const secret of [options.functionKey, masterKey, options.storageConnectionString]) {
    registerSensitive(secret);
  }
  const invoker = new FunctionInvoker({
    logger,
    logLevels: config.logLevels,
    functionTimeoutMs: config.functionTimeoutMs,
  });
  const routes = new HttpRouteTable(options.definitions, config.routePrefix);
  const http = new HttpListener({
    routes,
    invoker,
    keys: { functionKey: options.functionKey, masterKey },
    maxRequestBodyBytes: options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES,
    customHeaders: config.customHeaders,
  });
  const store = options.timerStatusStore ?? new MemoryTimerStatusStore();
  const timers = options.definitions.flatMap((definition) =>
    definition.trigger === 'timer' ? [new TimerListener(definition, invoker, store)] : [],
  );
  const queues = options.definitions.flatMap((definition) =>
    definition.trigger === 'storageQueue'
      ? [
          new QueueListener(
            definition,
            invoker,
            config.queues,
            options.storageConnectionString,
            logger,
          ),
        ]
      : [],
  );
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const stopTriggers = () =>
    withinTime(
      Promise.allSettled([...timers.map((t) => t.stop()), ...queues.map((q) => q.stop())]),
      stopTimeoutMs,
    );

  const port = await http.listen(options.host ?? '127.0.0.1', options.port ?? 7071);
  try {
    await Promise.all(queues.map((queue) => queue.start()));
  } catch (error) {
    await stopTriggers();
    await http.close(0);
    throw error;
  }
  for (const timer of timers) timer.start();

  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  logger.log('info', 'Offline Functions host started', { port, url });
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () => {
      stopping ??= (async () => {
        await stopTriggers();
        await http.close(stopTimeoutMs);
        await invoker.drain(stopTimeoutMs);
        logger.log('info', 'Offline Functions host stopped', { port });
      })();
      return stopping;
    },
  };
}

async function withinTime(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
