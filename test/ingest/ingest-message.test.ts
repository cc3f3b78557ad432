import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../local/tls/index.js';
import { VaultgateError } from '../../src/errors.js';
import {
  INGEST_MODES,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MESSAGE_FIELDS,
  parseIngestMessage,
} from '../../src/ingest/ingest-message.js';
import { messageText } from '../../src/ingest/message-text.js';

function refusal(value: unknown, maxRows = 10): VaultgateError {
  try {
    parseIngestMessage(value, maxRows);
  } catch (error) {
    if (error instanceof VaultgateError) return error;
    throw error;
  }
  throw new Error('The message was expected to be refused.');
}

describe('parseIngestMessage', () => {
  it('reads rows, mode and key', () => {
    const message = parseIngestMessage(
      {
        entity: 'events',
        rows: [{ kind: 'a' }, { kind: 'b' }],
        mode: 'upsert',
        idempotencyKey: 'k-1',
      },
      10,
    );

    expect(message).toEqual({
      entity: 'events',
      rows: [{ kind: 'a' }, { kind: 'b' }],
      batch: true,
      mode: 'upsert',
      idempotencyKey: 'k-1',
    });
  });

  it('takes one row as a one-row message that is not a batch, in insert mode', () => {
    const message = parseIngestMessage({ entity: 'events', row: { kind: 'a' } }, 10);

    expect(message).toMatchObject({ rows: [{ kind: 'a' }], batch: false, mode: 'insert' });
    expect(message.idempotencyKey).toBeUndefined();
  });

  it.each([
    ['a string', 'hello', 'BadMessage', undefined],
    ['an array', [{ entity: 'events' }], 'BadMessage', undefined],
    ['no entity', { rows: [{}] }, 'BadMessage', 'entity'],
    ['both rows and row', { entity: 'e', rows: [{}], row: {} }, 'BadMessage', undefined],
    ['neither rows nor row', { entity: 'e' }, 'BadMessage', undefined],
    ['rows that are not an array', { entity: 'e', rows: {} }, 'BadMessage', 'rows'],
    ['an unknown field', { entity: 'e', row: {}, tabel: 'x' }, 'BadMessage', 'tabel'],
    ['an unknown mode', { entity: 'e', row: {}, mode: 'merge' }, 'BadMessage', 'mode'],
    ['no rows', { entity: 'e', rows: [] }, 'EmptyBatch', 'rows'],
    [
      'an empty key',
      { entity: 'e', row: {}, idempotencyKey: '' },
      'BadIdempotencyKey',
      'idempotencyKey',
    ],
    [
      'a key with spaces',
      { entity: 'e', row: {}, idempotencyKey: 'a b' },
      'BadIdempotencyKey',
      'idempotencyKey',
    ],
  ])('refuses %s with a 4xx and its code', (_name, value, code, target) => {
    const error = refusal(value);

    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    expect(error.code).toBe(code);
    expect(error.target).toBe(target);
  });

  it('refuses more rows than one message may carry with 413 TooManyRows', () => {
    const error = refusal({ entity: 'e', rows: [{}, {}, {}] }, 2);

    expect(error.status).toBe(413);
    expect(error.code).toBe('TooManyRows');
    expect(error.message).toMatch(/at most 2 rows, not 3/);
  });

  it('takes a key of exactly the longest length and refuses one longer', () => {
    const longest = 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH);

    expect(
      parseIngestMessage({ entity: 'e', row: {}, idempotencyKey: longest }, 1).idempotencyKey,
    ).toBe(longest);
    expect(refusal({ entity: 'e', row: {}, idempotencyKey: `${longest}k` }).code).toBe(
      'BadIdempotencyKey',
    );
  });
});

describe('messageText', () => {
  it('writes a parsed message out again as its text', () => {
    expect(messageText({ entity: 'e' })).toEqual({
      text: '{"entity":"e"}',
      value: { entity: 'e' },
    });
  });

  it('keeps text that is not JSON as it came, with no value', () => {
    expect(messageText('not json {')).toEqual({ text: 'not json {', value: undefined });
  });

  it('decodes bytes as UTF-8 and parses them', () => {
    expect(messageText(Buffer.from('{"a":1}'))).toEqual({ text: '{"a":1}', value: { a: 1 } });
  });
});

describe('ingest-message.schema.json', () => {
  const schema = JSON.parse(
    readFileSync(join(projectRoot(), 'ingest-message.schema.json'), 'utf8'),
  ) as {
    properties: Record<string, { enum?: string[]; maxLength?: number; pattern?: string }>;
    required: string[];
    additionalProperties: boolean;
  };

  it('names exactly the fields the code accepts and refuses others', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...MESSAGE_FIELDS].sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['entity']);
  });

  it('states the modes and key limits the code enforces', () => {
    expect(schema.properties.mode?.enum).toEqual([...INGEST_MODES]);
    expect(schema.properties.idempotencyKey?.maxLength).toBe(MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(new RegExp(schema.properties.idempotencyKey!.pattern!).test('a b')).toBe(false);
  });

  it('has examples the code accepts', () => {
    const { examples } = schema as unknown as { examples: unknown[] };
    for (const example of examples) {
      expect(() => parseIngestMessage(example, 10)).not.toThrow();
    }
  });
});
