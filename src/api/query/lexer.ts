import { excerpt, queryError, type OptionContext } from './query-error.js';

export type TokenKind =
  | 'identifier'
  | 'string'
  | 'number'
  | 'datetime'
  | 'date'
  | 'time'
  | 'guid'
  | '('
  | ')'
  | ','
  | '*'
  | 'end';

/** A token with its 0-based position in the option's text; `text` is the source slice. */
export interface Token {
  kind: TokenKind;
  text: string;
  position: number;
  /** For strings: the value with quotes removed and '' unescaped. */
  value?: string;
}

// Order matters: a GUID or a date starts with digits, so they are tried before numbers.
// Each pattern refuses to stop in the middle of a word, so `12abc` is not `12` then `abc`.
const PATTERNS: [TokenKind, RegExp][] = [
  ['guid', /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\p{L}\p{N}_-])/iuy],
  [
    'datetime',
    /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?(?![\p{L}\p{N}_:.+-])/uy,
  ],
  ['date', /\d{4}-\d{2}-\d{2}(?![\p{L}\p{N}_:.-])/uy],
  ['time', /\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?![\p{L}\p{N}_:.])/uy],
  ['number', /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\p{L}\p{N}_.])/uy],
  ['identifier', /[\p{L}_][\p{L}\p{N}_]*/uy],
];

const PUNCTUATION = new Set(['(', ')', ',', '*']);
const SPACE = /\s/u;

/** Splits option text into tokens; anything unrecognisable is a 400 naming its position. */
export function tokenize(text: string, context: OptionContext): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const char = text[position]!;
    if (SPACE.test(char)) {
      position++;
      continue;
    }
    const token = readToken(text, position, context);
    tokens.push(token);
    position += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

function readToken(text: string, position: number, context: OptionContext): Token {
  const char = text[position]!;
  if (char === "'") return readString(text, position, context);
  if (PUNCTUATION.has(char)) return { kind: char as TokenKind, text: char, position };
  for (const [kind, pattern] of PATTERNS) {
    pattern.lastIndex = position;
    const match = pattern.exec(text);
    if (match !== null) return { kind, text: match[0], position };
  }
  const shown = String.fromCodePoint(text.codePointAt(position)!);
  throw queryError(context, `unexpected character ${excerpt(shown)} at ${position}`);
}

/** A quoted string; a quote inside is written twice, as in SQL and OData. */
function readString(text: string, start: number, context: OptionContext): Token {
  let value = '';
  let position = start + 1;
  while (position < text.length) {
    const char = text[position]!;
    if (char === "'") {
      if (text[position + 1] !== "'") {
        return { kind: 'string', text: text.slice(start, position + 1), position: start, value };
      }
      position++;
    }
    value += char;
    position++;
  }
  throw queryError(
    context,
    `the string starting at ${start} has no closing quote (write a quote inside as '')`,
  );
}

/** A token as a message shows it: an excerpt, or "the end". */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end';
  return token.kind === 'string' ? shortQuoted(token.text) : excerpt(token.text);
}

function shortQuoted(text: string): string {
  const inner = excerpt(text.slice(1, -1)).slice(1, -1);
  return `'${inner}'`;
}
