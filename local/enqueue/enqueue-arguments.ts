import { parseArgs } from 'node:util';
import { INGEST_MODES, type IngestMode } from '../../src/ingest/ingest-message.js';
import { EnqueueError } from './enqueue-error.js';

/** What `npm run enqueue -- <entity> <file> [--mode upsert] [--queue name]` asks for. */
export interface EnqueueArguments {
  entity: string;
  file: string;
  mode: IngestMode;
  queue: string | undefined;
}

export const USAGE =
  'Usage: npm run enqueue -- <entity> <rows.json|rows.ndjson> [--mode insert|upsert] ' +
  '[--queue <name>]';

/** Reads the command line; a mistake is an EnqueueError with the usage line. */
export function parseEnqueueArguments(argv: readonly string[]): EnqueueArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { mode: { type: 'string', default: 'insert' }, queue: { type: 'string' } },
    });
  } catch (error) {
    throw new EnqueueError(`${(error as Error).message}\n${USAGE}`);
  }
  const [entity, file, ...extra] = parsed.positionals;
  if (entity === undefined || file === undefined || extra.length > 0) throw new EnqueueError(USAGE);
  const mode = parsed.values.mode as IngestMode;
  if (!INGEST_MODES.includes(mode))
    throw new EnqueueError(`--mode must be insert or upsert.\n${USAGE}`);
  return { entity, file, mode, queue: parsed.values.queue };
}
