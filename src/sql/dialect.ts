import type { CompiledStatement, Statement } from './statement.js';

export type DialectName = 'tsql' | 'postgres';

/** Compiles the query model into one engine's SQL text with positional parameters. */
export interface Dialect {
  readonly name: DialectName;
  /** Quotes a catalog identifier. */
  quote(identifier: string): string;
  compile(statement: Statement): CompiledStatement;
}
