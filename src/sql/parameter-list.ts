import type { SqlValue } from './sql-value.js';

/** Collects parameter values in order and hands out the dialect's placeholder for each. */
export class ParameterList {
  readonly values: SqlValue[] = [];

  constructor(private readonly placeholder: (position: number) => string) {}

  /** Appends the value and returns its placeholder, e.g. `$3` or `@p3`. */
  add(value: SqlValue): string {
    this.values.push(value);
    return this.placeholder(this.values.length);
  }
}
