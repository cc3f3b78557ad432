import { VaultgateError } from '../errors.js';
import type { RowValues } from './statement.js';
import type { TableShape } from './table.js';
import { keyValues, writableValues, type ColumnValue } from './write-values.js';

/** The key to match and the columns to set for an update or upsert. */
export interface UpdatePlan {
  key: ColumnValue[];
  assignments: ColumnValue[];
}

/**
 * Splits a row into key and the other columns. A key column may appear among the values only
 * with the key's own value (clients often send the whole row back); changing a key is refused.
 */
export function planUpdate(table: TableShape, key: RowValues, values: RowValues): UpdatePlan {
  const keyParts = keyValues(table, key);
  const rest: RowValues = {};
  for (const [name, value] of Object.entries(values)) {
    const part = keyParts.find((kv) => kv.column.name === name);
    if (part === undefined) rest[name] = value;
    else if (!sameValue(part.value, value)) throw keyNotUpdatable(name);
  }
  return { key: keyParts, assignments: writableValues(table, rest) };
}

/** The refusal for an update with nothing to set. */
export function nothingToUpdate(): VaultgateError {
  return new VaultgateError(422, 'NothingToUpdate', 'the request names no column to change');
}

function sameValue(a: unknown, b: unknown): boolean {
  return String(a) === String(b);
}

function keyNotUpdatable(name: string): VaultgateError {
  return new VaultgateError(
    422,
    'KeyNotUpdatable',
    `the key column '${name}' cannot be changed; delete the row and create a new one`,
    { target: name },
  );
}
