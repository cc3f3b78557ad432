import type { Dialect } from '../db/engine.js';
import { parametersFor, syntaxFor } from './dialect-syntax.js';
import type { ArgumentValue } from './job-config.js';
import type { SqlText } from './job-step.js';

/** A procedure or function as the catalog names it, and how PostgreSQL must call it. */
export interface Routine {
  schema: string;
  name: string;
  /** PostgreSQL only: a procedure is CALLed, a function SELECTed. */
  kind: 'procedure' | 'function';
}

/**
 * Calls the routine with named arguments, each value a parameter. Argument names come from
 * configuration, checked as plain identifiers; T-SQL writes them `@name = @p1`, PostgreSQL
 * `"name" => $1`.
 */
export function procedureSql(
  routine: Routine,
  args: Readonly<Record<string, ArgumentValue>>,
  dialect: Dialect,
): SqlText {
  const syntax = syntaxFor(dialect);
  const params = parametersFor(dialect);
  const name = `${syntax.quote(routine.schema)}.${syntax.quote(routine.name)}`;
  const named = Object.entries(args).map(([arg, value]) =>
    dialect === 'tsql'
      ? `@${arg} = ${params.add(value)}`
      : `${syntax.quote(arg)} => ${params.add(value)}`,
  );
  if (dialect === 'tsql') {
    const list = named.length === 0 ? '' : ` ${named.join(', ')}`;
    return { text: `EXEC ${name}${list};`, params: params.values };
  }
  const call = `${name}(${named.join(', ')})`;
  const text = routine.kind === 'procedure' ? `CALL ${call};` : `SELECT ${call} AS "result";`;
  return { text, params: params.values };
}
