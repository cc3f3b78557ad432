import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIngestMessage } from '../../src/ingest/ingest-message.js';
import { chunkMessages, RowTooLargeError } from '../../src/ingest/message-chunks.js';

const options = { entity: 'events', mode: 'insert' as const, keyPrefix: 'p', maxRows: 1000 };
const encodedLength = (text: string) => Buffer.from(text, 'utf8').toString('base64').length;

describe('chunkMessages', () => {
  it('puts small files in one message of the contract, numbered from the prefix', () => {
    const [message, ...rest] = chunkMessages([{ kind: 'a' }, { kind: 'b' }], options);

    expect(rest).toEqual([]);
    expect(JSON.parse(message!)).toEqual({
      entity: 'events',
      mode: 'insert',
      idempotencyKey: 'p-0',
      rows: [{ kind: 'a' }, { kind: 'b' }],
    });
  });

  it('splits a large file into messages under 64 KiB once base64-encoded', () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => ({
      kind: 'signup',
      payload: { i, pad: 'x'.repeat(40) },
    }));
    const messages = chunkMessages(rows, options);

    expect(messages.length).toBeGreaterThan(5);
    for (const message of messages) expect(encodedLength(message)).toBeLessThanOrEqual(64 * 1024);
    expect(messages.flatMap((m) => (JSON.parse(m) as { rows: unknown[] }).rows)).toEqual(rows);
    expect(
      messages.map((m) => (JSON.parse(m) as { idempotencyKey: string }).idempotencyKey),
    ).toEqual(messages.map((_, i) => `p-${i}`));
  });

  it('caps the rows per message', () => {
    const messages = chunkMessages(
      Array.from({ length: 7 }, () => ({})),
      { ...options, maxRows: 3 },
    );

    expect(messages.map((m) => (JSON.parse(m) as { rows: unknown[] }).rows.length)).toEqual([
      3, 3, 1,
    ]);
  });

  it('refuses a row too large for any message, naming it', () => {
    const rows = [{ a: 1 }, { a: 'x'.repeat(200) }];

    expect(() => chunkMessages(rows, { ...options, maxEncodedChars: 200 })).toThrow(
      RowTooLargeError,
    );
    expect(() => chunkMessages(rows, { ...options, maxEncodedChars: 200 })).toThrow(/row 1 /);
  });

  it('keeps every row once, in order, in messages the trigger accepts', () => {
    const row = fc.dictionary(
      fc.string({ maxLength: 8 }),
      fc.oneof(fc.string({ maxLength: 60 }), fc.integer()),
    );
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        (rows, maxRows) => {
          const limit = 700;
          let messages: string[];
          try {
            messages = chunkMessages(rows, { ...options, maxRows, maxEncodedChars: limit });
          } catch (error) {
            return error instanceof RowTooLargeError;
          }
          const parsed = messages.map((m) => parseIngestMessage(JSON.parse(m), maxRows));
          expect(parsed.flatMap((m) => m.rows)).toEqual(rows);
          for (const message of messages) expect(encodedLength(message)).toBeLessThanOrEqual(limit);
          return true;
        },
      ),
    );
  });
});
