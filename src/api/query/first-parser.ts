import { QUERY_LIMITS } from './limits.js';
import { excerpt, queryError, type OptionContext } from './query-error.js';

const FIRST: OptionContext = { code: 'BadFirst', target: '$first' };

/**
 * The page size: `$first` as a whole number from 1 to maxPageSize, or, when absent, the
 * default page size capped by maxPageSize.
 */
export function parseFirst(text: string | undefined, maxPageSize: number): number {
  if (text === undefined) return Math.min(QUERY_LIMITS.defaultPageSize, maxPageSize);
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (value >= 1 && value <= maxPageSize) return value;
  throw queryError(
    FIRST,
    `$first must be a whole number from 1 to ${maxPageSize}, not ${excerpt(text)}`,
  );
}

/** `$count`: `true` or `false`. */
export function parseCount(text: string | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw queryError(
    { code: 'BadCount', target: '$count' },
    `$count must be true or false, not ${excerpt(text)}`,
  );
}
