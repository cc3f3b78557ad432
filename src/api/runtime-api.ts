import type { Runtime } from '../runtime.js';
import type { Environment } from '../settings/settings.js';
import { configPath, loadConfigSync } from './config.js';
import { EntityApi } from './entity-api.js';
import { EntityRegistry } from './entity-registry.js';

const apis = new WeakMap<Runtime, EntityApi>();

/**
 * The entity API of this runtime, built on first use from the configuration file
 * (VAULTGATE_CONFIG or vaultgate.json). A configuration mistake throws a ConfigurationError
 * naming the path in the file, on every call until the file is fixed; a new runtime (after
 * closeRuntime) reads the file again.
 */
export function entityApiFor(runtime: Runtime, env: Environment = process.env): EntityApi {
  const existing = apis.get(runtime);
  if (existing !== undefined) return existing;
  const path = configPath(env);
  const api = new EntityApi({
    database: runtime.database,
    registry: new EntityRegistry(loadConfigSync(path)),
    maxBatchRows: runtime.settings.maxBatchRows,
    cacheState: () => runtime.resolver.status().state,
  });
  apis.set(runtime, api);
  return api;
}
