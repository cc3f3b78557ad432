import type { InvocationContext } from '@azure/functions';
import type { Delivery } from '../src/ingest/ingestor.js';
import { ingestQueueName } from '../src/ingest/ingest-queue.js';
import { ingestorFor } from '../src/ingest/runtime-ingestor.js';
import { getRuntime } from '../src/runtime.js';
import { contextLogger } from './http.js';
import { processLogger } from './process-logger.js';
import { register } from './register.js';

/**
 * Inserts the rows of one queue message exactly once. A bad message is parked in
 * `<queue>-poison` with its reason and the invocation succeeds; a transient failure throws,
 * so the host retries the message and, after maxDequeueCount attempts, parks it itself.
 */
export async function ingest(message: unknown, context: InvocationContext): Promise<void> {
  const ingestor = ingestorFor(getRuntime(process.env, processLogger));
  await ingestor.handle(message, deliveryOf(context), contextLogger(context));
}

/** The message id and attempt number the host puts in the trigger metadata. */
export function deliveryOf(context: InvocationContext): Delivery {
  const metadata = context.triggerMetadata ?? {};
  const id = metadata.id;
  const dequeueCount = Number(metadata.dequeueCount);
  return {
    messageId: typeof id === 'string' && id !== '' ? id : undefined,
    dequeueCount: Number.isInteger(dequeueCount) ? dequeueCount : undefined,
    invocationId: context.invocationId,
  };
}

export const definition = register({
  name: 'ingest',
  trigger: 'storageQueue',
  options: {
    // Read when the app loads, as the host reads its bindings; INGEST_QUEUE moves it.
    queueName: ingestQueueName(),
    connection: 'AzureWebJobsStorage',
    handler: ingest,
  },
});
