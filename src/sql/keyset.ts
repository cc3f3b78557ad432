import type { FilterNode } from './filter.js';
import type { OrderItem } from './order.js';
import type { SqlValue } from './sql-value.js';
import { requireColumn } from './column-lookup.js';
import type { TableShape } from './table.js';

/**
 * The rows strictly after the given position in the order, as the expanded comparison
 * `(a > x) or (a = x and b > y) or ...`, honouring each direction and the NULL rule of
 * order.ts (NULL is the lowest value). Null-ness of a value only changes the shape of the
 * condition; the values themselves are still parameters.
 */
export function keysetFilter(
  order: readonly OrderItem[],
  values: readonly SqlValue[],
  table: TableShape,
): FilterNode {
  if (values.length !== order.length) {
    throw new Error('A keyset position needs one value per order column.');
  }
  const branches: FilterNode[] = [];
  for (let index = 0; index < order.length; index++) {
    const after = afterCondition(order[index]!, values[index]!, table);
    if (after === undefined) continue;
    const ties = order.slice(0, index).map((item, j) => equalCondition(item.column, values[j]!));
    if (ties.length > 0) branches.push({ kind: 'and', items: [...ties, after] });
    else if (after.kind === 'or') branches.push(...after.items);
    else branches.push(after);
  }
  return branches.length === 1 ? branches[0]! : { kind: 'or', items: branches };
}

function equalCondition(column: string, value: SqlValue): FilterNode {
  if (value === null) return { kind: 'null', column, negated: false };
  return { kind: 'compare', column, op: 'eq', value };
}

/** Rows strictly after `value` in this one column; undefined when none can be. */
function afterCondition(
  item: OrderItem,
  value: SqlValue,
  table: TableShape,
): FilterNode | undefined {
  const { column, direction } = item;
  if (direction === 'asc') {
    if (value === null) return { kind: 'null', column, negated: true };
    return { kind: 'compare', column, op: 'gt', value };
  }
  // Descending puts NULL last: nothing follows a NULL, and NULLs follow every value.
  if (value === null) return undefined;
  const less: FilterNode = { kind: 'compare', column, op: 'lt', value };
  if (!requireColumn(table, column).nullable) return less;
  return { kind: 'or', items: [less, { kind: 'null', column, negated: false }] };
}
