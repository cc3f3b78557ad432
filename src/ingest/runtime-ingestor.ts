import { entityApiFor } from '../api/runtime-api.js';
import type { Runtime } from '../runtime.js';
import type { Environment } from '../settings/settings.js';
import { ingestQueueName, poisonQueueName } from './ingest-queue.js';
import { Ingestor } from './ingestor.js';
import { PoisonQueue } from './poison-queue.js';
import { storageQueueClient } from './storage-queue.js';

const ingestors = new WeakMap<Runtime, Ingestor>();

/**
 * The ingestor of this runtime, built on first use. It shares the entity API's registry and
 * catalog cache, so queue inserts see the same configuration and table shapes as HTTP ones.
 */
export function ingestorFor(runtime: Runtime, env: Environment = process.env): Ingestor {
  const existing = ingestors.get(runtime);
  if (existing !== undefined) return existing;
  const api = entityApiFor(runtime, env);
  const poison = new PoisonQueue(storageQueueClient(poisonQueueName(ingestQueueName(env)), env));
  const ingestor = new Ingestor({
    database: runtime.database,
    registry: api.registry,
    catalog: api.catalog,
    poison,
    maxRows: runtime.settings.maxBatchRows,
    cacheState: () => runtime.resolver.status().state,
  });
  ingestors.set(runtime, ingestor);
  return ingestor;
}
