import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnqueueArguments } from '../../local/enqueue/enqueue-arguments.js';
import { EnqueueError } from '../../local/enqueue/enqueue-error.js';
import { readRows } from '../../local/enqueue/read-rows.js';

const folder = mkdtempSync(join(tmpdir(), 'vaultgate-enqueue-'));
function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe('readRows', () => {
  it('reads a JSON array', async () => {
    const { rows } = await readRows(file('a.json', '[{"a":1},{"a":2}]'));
    expect(rows).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads one object per line from .ndjson, skipping blank lines', async () => {
    const { rows } = await readRows(file('a.ndjson', '{"a":1}\r\n\n{"a":2}\n'));
    expect(rows).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('names the line that is not JSON', async () => {
    await expect(readRows(file('b.ndjson', '{"a":1}\n{oops\n'))).rejects.toThrow(
      /line 2 is not valid JSON/,
    );
  });

  it('refuses a missing file with a sentence', async () => {
    await expect(readRows(join(folder, 'none.json'))).rejects.toBeInstanceOf(EnqueueError);
  });
});

describe('parseEnqueueArguments', () => {
  it('reads entity, file, mode and queue', () => {
    expect(
      parseEnqueueArguments(['events', 'x.ndjson', '--mode', 'upsert', '--queue', 'q1']),
    ).toEqual({
      entity: 'events',
      file: 'x.ndjson',
      mode: 'upsert',
      queue: 'q1',
    });
  });

  it('shows the usage when the file is missing or the mode is unknown', () => {
    expect(() => parseEnqueueArguments(['events'])).toThrow(/Usage: npm run enqueue/);
    expect(() => parseEnqueueArguments(['e', 'f', '--mode', 'merge'])).toThrow(/--mode must be/);
  });
});
