import type { CompareOp, FilterNode, MatchFunction } from '../../sql/filter.js';
import type { ColumnShape, TableShape } from '../../sql/table.js';
import { resolveColumn } from './column-reference.js';
import { describeToken, tokenize, type Token } from './lexer.js';
import { QUERY_LIMITS } from './limits.js';
import { isLiteral, literalValue } from './literal-value.js';
import { checkLength, queryError, type OptionContext } from './query-error.js';

const FILTER: OptionContext = { code: 'BadFilter', target: '$filter' };
const OPERATORS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['contains', 'startswith', 'endswith']);

/**
 * Parses `$filter` into a filter over the table's columns. The grammar, with keywords in any
 * case:
 *
 *     filter     = and-chain *( "or" and-chain )
 *     and-chain  = unary *( "and" unary )
 *     unary      = "not" unary / "(" filter ")" / condition
 *     condition  = column op literal / column "in" "(" literal *( "," literal ) ")"
 *                / function "(" column "," string ")"
 *     op         = eq / ne / gt / ge / lt / le          function = contains / startswith / endswith
 *     literal    = 'text' (quote doubled inside) / number / true / false / null
 *                / 2024-01-31 / 2024-01-31T12:00:00Z / 12:30:00 / GUID
 *
 * Literals are checked against the column's type. Every error is a 400 BadFilter naming the
 * 0-based position.
 *
 * @example parseFilter("status in ('paid', 'shipped') and total ge 100", orders)
 */
export function parseFilter(text: string, table: TableShape): FilterNode {
  checkLength(FILTER, text, QUERY_LIMITS.maxOptionLength);
  const tokens = tokenize(text, FILTER);
  if (tokens.length === 1) {
    throw queryError(FILTER, '$filter is empty; leave it out to get every row');
  }
  return new FilterParser(tokens, table).parse();
}

class FilterParser {
  private index = 0;
  private values = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly table: TableShape,
  ) {}

  parse(): FilterNode {
    const node = this.parseOr(0);
    const rest = this.peek();
    if (rest.kind !== 'end') throw this.unexpected(rest, "'and', 'or' or the end");
    return node;
  }

  private parseOr(depth: number): FilterNode {
    const items = [this.parseAnd(depth)];
    while (this.isWord(this.peek(), 'or')) {
      this.index++;
      items.push(this.parseAnd(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private parseAnd(depth: number): FilterNode {
    const items = [this.parseUnary(depth)];
    while (this.isWord(this.peek(), 'and')) {
      this.index++;
      items.push(this.parseUnary(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private parseUnary(depth: number): FilterNode {
    const token = this.peek();
    // `not` followed by an operator is a column that happens to be called "not".
    if (this.isWord(token, 'not') && !this.isOperator(this.tokens[this.index + 1]!)) {
      this.index++;
      this.checkDepth(depth + 1, token);
      return { kind: 'not', item: this.parseUnary(depth + 1) };
    }
    if (token.kind === '(') {
      this.index++;
      this.checkDepth(depth + 1, token);
      const node = this.parseOr(depth + 1);
      this.expect(')', "')' or 'and' or 'or'");
      return node;
    }
    return this.parseCondition();
  }

  private parseCondition(): FilterNode {
    const first = this.next();
    const name = first.text.toLowerCase();
    if (first.kind === 'identifier' && FUNCTIONS.has(name) && this.peek().kind === '(') {
      return this.parseFunction(name as MatchFunction, first);
    }
    const column = resolveColumn(first, this.table, FILTER);
    const operator = this.next();
    if (this.isWord(operator, 'in')) return this.parseIn(column);
    if (!this.isOperator(operator)) {
      throw this.unexpected(operator, 'an operator (eq, ne, gt, ge, lt, le or in)');
    }
    return this.parseComparison(column, operator.text.toLowerCase() as CompareOp);
  }

  private parseComparison(column: ColumnShape, op: CompareOp): FilterNode {
    const token = this.next();
    if (this.isWord(token, 'null')) {
      if (op !== 'eq' && op !== 'ne') {
        throw queryError(FILTER, `null at ${token.position} can only be compared with eq or ne`);
      }
      return { kind: 'null', column: column.name, negated: op === 'ne' };
    }
    return { kind: 'compare', column: column.name, op, value: this.value(token, column) };
  }

  private parseIn(column: ColumnShape): FilterNode {
    const open = this.expect('(', "'(' to start the list");
    const values = [];
    for (;;) {
      const token = this.next();
      if (token.kind === ')' && values.length === 0) {
        throw queryError(FILTER, `the list at ${open.position} is empty`);
      }
      if (this.isWord(token, 'null')) {
        throw queryError(
          FILTER,
          `null at ${token.position} cannot be in a list; add 'or ${column.name} eq null'`,
        );
      }
      values.push(this.value(token, column));
      if (values.length > QUERY_LIMITS.maxInItems) {
        throw queryError(
          FILTER,
          `the list at ${open.position} has more than ${QUERY_LIMITS.maxInItems} values`,
        );
      }
      const separator = this.next();
      if (separator.kind === ')') break;
      if (separator.kind !== ',') throw this.unexpected(separator, "',' or ')'");
    }
    return { kind: 'in', column: column.name, values };
  }

  private parseFunction(fn: MatchFunction, name: Token): FilterNode {
    this.expect('(', "'('");
    const column = resolveColumn(this.next(), this.table, FILTER);
    if (column.type !== 'string') {
      throw queryError(
        FILTER,
        `${fn} at ${name.position} needs a text column, and '${column.name}' is not one`,
      );
    }
    this.expect(',', "','");
    const text = this.next();
    if (text.kind !== 'string') throw this.unexpected(text, 'text in quotes');
    this.expect(')', "')'");
    return { kind: 'match', column: column.name, fn, value: text.value! };
  }

  private value(token: Token, column: ColumnShape) {
    if (++this.values > QUERY_LIMITS.maxValues) {
      throw queryError(
        FILTER,
        `$filter has more than ${QUERY_LIMITS.maxValues} values (at ${token.position})`,
      );
    }
    if (isLiteral(token)) return literalValue(token, column, FILTER);
    const hint = token.kind === 'identifier' ? '; comparing two columns is not supported' : '';
    throw queryError(
      FILTER,
      `expected a value at ${token.position}, found ${describeToken(token)}${hint}`,
    );
  }

  private checkDepth(depth: number, token: Token): void {
    if (depth > QUERY_LIMITS.maxDepth) {
      throw queryError(
        FILTER,
        `$filter nests deeper than ${QUERY_LIMITS.maxDepth} levels at ${token.position}`,
      );
    }
  }

  private expect(kind: Token['kind'], what: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw this.unexpected(token, what);
    return token;
  }

  private unexpected(token: Token, what: string) {
    return queryError(
      FILTER,
      `expected ${what} at ${token.position}, found ${describeToken(token)}`,
    );
  }

  private isOperator(token: Token): boolean {
    const word = token.text.toLowerCase();
    return token.kind === 'identifier' && (OPERATORS.has(word) || word === 'in');
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'identifier' && token.text.toLowerCase() === word;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  /** The next token; the final `end` token is never passed, so reading never overruns. */
  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'end') this.index++;
    return token;
  }
}
