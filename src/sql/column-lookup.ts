import { VaultgateError } from '../errors.js';
import type { ColumnShape, TableShape } from './table.js';

/**
 * The catalog column of that name. A name the catalog does not know never reaches SQL text:
 * it is refused here with a suggestion when one is close.
 */
export function requireColumn(table: TableShape, name: string): ColumnShape {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (column !== undefined) return column;
  throw new VaultgateError(422, 'UnknownColumn', unknownColumnMessage(table, name), {
    target: shortText(name),
  });
}

/** "unknown column 'amout'; did you mean 'amount'?" with the input shortened. */
export function unknownColumnMessage(table: TableShape, name: string, position?: number): string {
  const at = position === undefined ? '' : ` at ${position}`;
  const suggestion = closestName(
    name,
    table.columns.map((column) => column.name),
  );
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  return `unknown column '${shortText(name)}'${at}${hint}`;
}

/** The candidate nearest by edit distance, if it is near enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.min(wanted.length, 12) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * Edit distance counting a swap of neighbours as one edit (optimal string alignment), since
 * swapped letters are the commonest typo. Inputs are cut to 64 characters to bound the work.
 */
export function editDistance(a: string, b: string): number {
  const x = a.slice(0, 64);
  const y = b.slice(0, 64);
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
}

const EXCERPT_LENGTH = 40;

/**
 * User text made safe to quote in a message: at most a short excerpt, with control and
 * other invisible characters shown as '?'.
 */
export function shortText(text: string): string {
  const visible = text.replace(/[\p{C}]/gu, '?');
  const chars = Array.from(visible);
  if (chars.length <= EXCERPT_LENGTH) return visible;
  return `${chars.slice(0, EXCERPT_LENGTH - 3).join('')}...`;
}
