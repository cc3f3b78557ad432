import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestQueueName } from '../../src/ingest/ingest-queue.js';
import { EnqueueError } from './enqueue-error.js';

/** Where messages go: a storage connection string and a queue name. */
export interface EnqueueTarget {
  connectionString: string;
  queue: string;
}

/**
 * The queue the app reads: AzureWebJobsStorage and INGEST_QUEUE from the environment, else
 * from local.settings.json (as `npm start` uses them), else Azurite's defaults.
 */
export function enqueueTarget(root: string, queue: string | undefined): EnqueueTarget {
  const values = { ...localValues(root), ...definedOnly(process.env) };
  const connectionString = values.AzureWebJobsStorage?.trim() || 'UseDevelopmentStorage=true';
  try {
    return { connectionString, queue: queue ?? ingestQueueName(values) };
  } catch (error) {
    throw new EnqueueError((error as Error).message);
  }
}

function localValues(root: string): Record<string, string> {
  const path = join(root, 'local.settings.json');
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, string> };
    return parsed.Values ?? {};
  } catch {
    throw new EnqueueError(`${path} is not valid JSON; fix it, or delete it to have it made anew.`);
  }
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
