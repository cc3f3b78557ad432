import { describe, expect, it } from 'vitest';
import { VaultgateError } from '../../src/errors.js';
import type { Dialect } from '../../src/sql/dialect.js';
import { dialectFor } from '../../src/sql/dialects.js';
import type { Statement } from '../../src/sql/statement.js';
import { customers, orderLines, orders } from './tables.js';

function refusal(dialect: Dialect, statement: Statement): VaultgateError {
  try {
    dialect.compile(statement);
  } catch (error) {
    if (error instanceof VaultgateError) return error;
    throw error;
  }
  throw new Error('the statement compiled');
}

const view = { ...orders, name: 'order_totals', key: [] };

describe.each(['tsql', 'postgres'] as const)(
  '%s dialect refuses writes it cannot make safe',
  (name) => {
    const dialect = dialectFor(name);

    it('refuses a column the catalog does not know, suggesting the near one', () => {
      const error = refusal(dialect, { kind: 'insert', table: orders, rows: [{ totl: 1 }] });
      expect([error.status, error.code]).toEqual([422, 'UnknownColumn']);
      expect(error.message).toBe("unknown column 'totl'; did you mean 'total'?");
    });

    it('refuses to write an identity column', () => {
      const error = refusal(dialect, { kind: 'insert', table: orders, rows: [{ id: 5 }] });
      expect([error.status, error.code, error.target]).toEqual([422, 'ColumnNotWritable', 'id']);
    });

    it('refuses an upsert whose key the database fills in', () => {
      const statement: Statement = {
        kind: 'upsert',
        mode: 'upsert',
        table: customers,
        row: { id: 1 },
      };
      expect(refusal(dialect, statement).code).toBe('ColumnNotWritable');
    });

    it('refuses an empty batch', () => {
      const error = refusal(dialect, { kind: 'insert', table: orders, rows: [] });
      expect([error.status, error.code]).toEqual([400, 'EmptyBatch']);
    });

    it('refuses a key with a missing part', () => {
      const error = refusal(dialect, { kind: 'delete', table: orderLines, key: { order_id: 1 } });
      expect([error.status, error.code, error.target]).toEqual([422, 'MissingKey', 'line_no']);
    });

    it('refuses to change a key, but accepts the key echoed back unchanged', () => {
      const key = { order_id: 1, line_no: 2 };
      const changed = refusal(dialect, {
        kind: 'update',
        table: orderLines,
        key,
        values: { line_no: 3, note: 'x' },
      });
      expect(changed.code).toBe('KeyNotUpdatable');
      const same = dialect.compile({
        kind: 'update',
        table: orderLines,
        key,
        values: { line_no: 2, note: 'x' },
      });
      expect(same.params).toEqual(['x', 1, 2]);
    });

    it('refuses an update with nothing to set', () => {
      const statement: Statement = { kind: 'update', table: orders, key: { id: 1 }, values: {} };
      expect(refusal(dialect, statement).code).toBe('NothingToUpdate');
    });

    it('refuses to address single rows of a table without a key', () => {
      const error = refusal(dialect, { kind: 'delete', table: view, key: {} });
      expect([error.status, error.code]).toEqual([405, 'NoKey']);
    });

    it('refuses a value of the wrong shape for a column', () => {
      const error = refusal(dialect, {
        kind: 'update',
        table: orders,
        key: { id: 1 },
        values: { total: { amount: 1 } },
      });
      expect([error.status, error.code, error.target]).toEqual([422, 'BadValue', 'total']);
    });

    it('refuses a select naming an unknown column, so no such name reaches SQL text', () => {
      const error = refusal(dialect, {
        kind: 'select',
        table: orders,
        columns: ['id; DROP TABLE orders'],
        order: [],
        limit: 1,
      });
      expect(error.code).toBe('UnknownColumn');
      expect(error.message.length).toBeLessThan(80);
    });
  },
);
