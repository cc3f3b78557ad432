/** Bounds on query-string input, so no request can make parsing or SQL costly. */
export const QUERY_LIMITS = {
  /** Characters in one query option. */
  maxOptionLength: 4000,
  /** Nesting of parentheses and `not` in `$filter`. */
  maxDepth: 32,
  /** Values in one `in (...)` list. */
  maxInItems: 500,
  /** Values in the whole `$filter`: SQL Server takes at most 2,100 parameters a statement. */
  maxValues: 1000,
  /** Terms in `$orderby`. */
  maxOrderTerms: 16,
  /** Characters in an `$after` token. */
  maxAfterLength: 8000,
  /** Page size when `$first` is absent (capped by the entity's maxPageSize). */
  defaultPageSize: 100,
} as const;
