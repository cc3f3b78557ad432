import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import type {
  FunctionTrigger,
  InvocationContext as Context,
  LogLevel as FunctionsLogLevel,
  TriggerMetadata,
} from '@azure/functions';
import type { FunctionDefinition } from '../../functions/register.js';
import { VaultgateError } from '../../src/errors.js';
import { redact, type LogFields, type Logger } from '../../src/log.js';
import { InvocationContext, output, trigger } from './functions-library.js';
import { isLogged, toLoggerLevel } from './log-level-filter.js';

/** How one invocation ended, as the invocation log line names it. */
export type Outcome = 'succeeded' | 'failed' | 'timedOut';

/** The result of an invocation: the handler's value, or why there is none. */
export type InvocationResult =
  | { outcome: 'succeeded'; value: unknown; invocationId: string }
  | { outcome: 'failed'; error: unknown; invocationId: string }
  | { outcome: 'timedOut'; invocationId: string };

/** What the invoker needs from the host. */
export interface InvokerSettings {
  logger: Logger;
  logLevels: Record<string, string>;
  functionTimeoutMs: number | undefined;
}

/** One call: the handler's trigger input, its metadata, and fields for the log line. */
export interface InvocationRequest {
  definition: FunctionDefinition;
  input: unknown;
  triggerMetadata?: TriggerMetadata;
  /** Turns the handler's value into the trigger's output; a throw fails the invocation. */
  complete?: (value: unknown) => unknown;
  /** Allow-listed fields added to the invocation log line (status, queue, messageId...). */
  fields?: (result: InvocationResult) => LogFields;
}

/**
 * Calls handlers as the Functions host does: a fresh InvocationContext per call, user logs
 * routed to the host's logger through host.json's levels, functionTimeout enforced, and one
 * structured line per invocation. It also knows which invocations are still running.
 */
export class FunctionInvoker {
  readonly #settings: InvokerSettings;
  readonly #running = new Set<Promise<unknown>>();

  constructor(settings: InvokerSettings) {
    this.#settings = settings;
  }

  /** Runs one invocation; never throws, the result says how it ended. */
  invoke(request: InvocationRequest): Promise<InvocationResult> {
    const running = this.#run(request);
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
    return running;
  }

  /** Waits for the invocations in flight, at most `timeoutMs`; true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const settled = Promise.allSettled([...this.#running]).then(() => true as const);
    const drained = await Promise.race([settled, deadline]);
    clearTimeout(timer);
    return drained;
  }

  async #run(request: InvocationRequest): Promise<InvocationResult> {
    const { definition } = request;
    const invocationId = randomUUID();
    const context = this.#context(definition, invocationId, request.triggerMetadata);
    const started = performance.now();
    const handled = await this.#withTimeout(invocationId, async () =>
      // The handler's own type is narrower; every trigger passes (input, context).
      (definition.options.handler as (input: unknown, context: unknown) => unknown)(
        request.input,
        context,
      ),
    );
    const result = complete(handled, request.complete);
    this.#logInvocation(definition, result, performance.now() - started, request.fields);
    return result;
  }

  async #withTimeout(invocationId: string, call: () => unknown): Promise<InvocationResult> {
    const limit = this.#settings.functionTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const handled = Promise.resolve()
      .then(call)
      .then(
        (value): InvocationResult => ({ outcome: 'succeeded', value, invocationId }),
        (error: unknown): InvocationResult => ({ outcome: 'failed', error, invocationId }),
      );
    if (limit === undefined) return handled;
    const timedOut = new Promise<InvocationResult>((resolve) => {
      timer = setTimeout(() => resolve({ outcome: 'timedOut', invocationId }), limit);
    });
    // NOTE: like the host, a timed-out invocation is given up, not stopped: JavaScript cannot
    // cancel it. The Functions host restarts the worker; this host lets it run out alone.
    const result = await Promise.race([handled, timedOut]);
    clearTimeout(timer);
    return result;
  }

  #context(
    definition: FunctionDefinition,
    invocationId: string,
    triggerMetadata: TriggerMetadata | undefined,
  ): Context {
    const { name } = definition;
    const { logger, logLevels } = this.#settings;
    return new InvocationContext({
      invocationId,
      functionName: name,
      triggerMetadata,
      logHandler: (level: FunctionsLogLevel, ...args: unknown[]) => {
        if (!isLogged(logLevels, `Function.${name}.User`, level)) return;
        const text = redact(format(...args));
        // A line the app already wrote as structured JSON is kept flat, not nested as text.
        const line = structuredLine(text);
        logger.log(toLoggerLevel(level), line?.message ?? text, {
          ...line?.fields,
          function: name,
          invocationId,
        });
      },
      options: {
        trigger: effectiveTrigger(definition),
        return: definition.options.return ?? httpReturn(definition),
        extraInputs: definition.options.extraInputs ?? [],
        extraOutputs: definition.options.extraOutputs ?? [],
      },
    });
  }

  #logInvocation(
    definition: FunctionDefinition,
    result: InvocationResult,
    ms: number,
    fields: InvocationRequest['fields'],
  ): void {
    const level = result.outcome === 'succeeded' ? 'information' : 'error';
    if (!isLogged(this.#settings.logLevels, `Function.${definition.name}`, level)) return;
    this.#settings.logger.log(toLoggerLevel(level), 'Function invocation finished', {
      function: definition.name,
      invocationId: result.invocationId,
      trigger: definition.trigger,
      outcome: result.outcome,
      ms: Math.round(ms),
      code: result.outcome === 'failed' ? errorCode(result.error) : undefined,
      ...fields?.(result),
    });
  }
}

function complete(result: InvocationResult, step: InvocationRequest['complete']): InvocationResult {
  if (result.outcome !== 'succeeded' || step === undefined) return result;
  try {
    return { ...result, value: step(result.value) };
  } catch (error) {
    return { outcome: 'failed', error, invocationId: result.invocationId };
  }
}

/** The trigger binding as @azure/functions would register it, defaults included. */
function effectiveTrigger(definition: FunctionDefinition): FunctionTrigger {
  if (definition.options.trigger !== undefined) return definition.options.trigger;
  const options = triggerOptions(definition.options);
  switch (definition.trigger) {
    case 'http':
      return trigger.http(options);
    case 'timer':
      return trigger.timer(options);
    case 'storageQueue':
      return trigger.storageQueue(options);
  }
}

/** The options without what is not part of the trigger, as app.generic separates them. */
function triggerOptions(options: object): never {
  const copy: Record<string, unknown> = { ...options };
  for (const key of ['handler', 'trigger', 'return', 'extraInputs', 'extraOutputs', 'retry']) {
    delete copy[key];
  }
  // Typed as never: each caller knows its trigger's option type, this copy only drops keys.
  return copy as never;
}

function httpReturn(definition: FunctionDefinition) {
  return definition.trigger === 'http' ? output.http({}) : undefined;
}

/** A stable name for the failure; messages stay out of the line, they may hold anything. */
function errorCode(error: unknown): string {
  if (error instanceof VaultgateError) return error.code;
  return error instanceof Error ? error.name : typeof error;
}

/** The message and fields of a JSON log line such as src/log.ts formatLine writes. */
function structuredLine(text: string): { message: string; fields: LogFields } | undefined {
  if (!text.startsWith('{"level":')) return undefined;
  try {
    const { level: _level, message, ...fields } = JSON.parse(text) as Record<string, unknown>;
    if (typeof message !== 'string') return undefined;
    const flat = Object.entries(fields).filter(
      ([, value]) => value === null || typeof value !== 'object',
    );
    return { message, fields: Object.fromEntries(flat) as LogFields };
  } catch {
    return undefined;
  }
}
