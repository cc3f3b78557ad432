import { projectRoot } from '../tls/index.js';
import { parseEnqueueArguments } from './enqueue-arguments.js';
import { EnqueueError } from './enqueue-error.js';
import { enqueueFile } from './enqueue-file.js';
import { enqueueTarget } from './enqueue-target.js';
import { readRows } from './read-rows.js';

/** `npm run enqueue -- <entity> <rows.json|rows.ndjson>`: rows onto the ingest queue. */
async function main(): Promise<void> {
  const args = parseEnqueueArguments(process.argv.slice(2));
  const target = enqueueTarget(projectRoot(), args.queue);
  const file = await readRows(args.file);
  const sent = await enqueueFile(
    { entity: args.entity, mode: args.mode, file, path: args.file },
    target,
  );
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const messages = plural(sent.messages, 'message');
  process.stdout.write(
    `Sent ${plural(sent.rows, 'row')} for '${args.entity}' in ${messages} to the queue ` +
      `${target.queue}. Messages that cannot be written land in ${target.queue}-poison ` +
      'with the reason.\n',
  );
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  const sentence =
    error instanceof EnqueueError
      ? error.message
      : code === 'ECONNREFUSED' || code === 'REQUEST_SEND_ERROR'
        ? 'The storage queue cannot be reached; is npm start (Azurite) running?'
        : `Sending failed: ${error instanceof Error ? error.name : 'unknown error'}.`;
  process.stderr.write(`${sentence}\n`);
  process.exit(1);
});
