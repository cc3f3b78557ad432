import {
  app,
  type HttpFunctionOptions,
  type StorageQueueFunctionOptions,
  type TimerFunctionOptions,
} from '@azure/functions';

/**
 * One function of the app: its name, trigger kind and @azure/functions options. Each module
 * in functions/ exports its `definition` (or `definitions`), so the offline host serves the
 * very same list that registers with the Functions host.
 */
export type FunctionDefinition =
  | { name: string; trigger: 'http'; options: HttpFunctionOptions }
  | { name: string; trigger: 'timer'; options: TimerFunctionOptions }
  | { name: string; trigger: 'storageQueue'; options: StorageQueueFunctionOptions };

/** Set by the offline host and the tests, which serve definitions themselves. */
export const OFFLINE_HOST_VARIABLE = 'VAULTGATE_OFFLINE_HOST';

/** Registers the definition with the Functions host and returns it for export. */
export function register<T extends FunctionDefinition>(definition: T): T {
  if (process.env[OFFLINE_HOST_VARIABLE] === '1') return definition;
  switch (definition.trigger) {
    case 'http':
      app.http(definition.name, definition.options);
      break;
    case 'timer':
      app.timer(definition.name, definition.options);
      break;
    case 'storageQueue':
      app.storageQueue(definition.name, definition.options);
      break;
  }
  return definition;
}
