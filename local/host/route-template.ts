import { ConfigurationError } from '../../src/errors.js';
import { parseConstraint, type RouteConstraint } from './route-constraints.js';

/** A compiled route template: matches a request path and yields its route values. */
export interface RouteTemplate {
  /** The template as written, prefix included. */
  readonly text: string;
  /** ASP.NET-style inbound precedence, one digit per segment; lower sorts first. */
  readonly precedence: readonly number[];
  /** The decoded route values, or undefined when the path does not fit the template. */
  match(path: string): Record<string, string> | undefined;
}

interface Parameter {
  kind: 'parameter';
  name: string;
  optional: boolean;
  catchAll: boolean;
  defaultValue: string | undefined;
  constraints: RouteConstraint[];
}
type Token = { kind: 'literal'; text: string } | Parameter;

/**
 * Compiles a route template as the Functions host reads one: literal segments (matched
 * without regard to case), `{name}`, optional `{name?}`, defaults `{name=value}`, constraints
 * `{id:int}` / `{id:int:min(1)}`, and a final catch-all `{*rest}`.
 */
export function compileRoute(template: string): RouteTemplate {
  const segments = splitSegments(template.replace(/^\/+|\/+$/g, ''), template);
  const parsed = segments.map((segment) => parseSegment(segment, template));
  const parameters = parsed.flat().filter((token): token is Parameter => token.kind !== 'literal');
  const pattern = new RegExp(`^${parsed.map(segmentPattern).join('')}$`, 'i');
  return {
    text: template,
    precedence: parsed.map(segmentPrecedence),
    match: (path) => matchPath(pattern, parameters, path),
  };
}

function matchPath(
  pattern: RegExp,
  parameters: Parameter[],
  path: string,
): Record<string, string> | undefined {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const match = pattern.exec(trimmed === '/' ? '' : trimmed);
  if (match === null) return undefined;
  const values: Record<string, string> = {};
  for (const [index, parameter] of parameters.entries()) {
    const raw = match[index + 1];
    const value = raw === undefined || raw === '' ? parameter.defaultValue : safeDecode(raw);
    if (value === undefined) {
      if (!parameter.optional && !parameter.catchAll) return undefined;
      continue;
    }
    if (!parameter.constraints.every((check) => check(value))) return undefined;
    values[parameter.name] = value;
  }
  return values;
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Splits on `/` outside braces, so a regex constraint may contain a slash. */
function splitSegments(template: string, original: string): string[] {
  if (template === '') return [];
  const segments: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of template) {
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    if (char === '/' && depth === 0) {
      if (current === '') throw badRoute(original, 'has an empty segment');
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0) throw badRoute(original, 'has an unbalanced brace');
  segments.push(current);
  return segments;
}

function parseSegment(segment: string, route: string): Token[] {
  const tokens: Token[] = [];
  let rest = segment;
  while (rest !== '') {
    const open = rest.indexOf('{');
    if (open !== 0) {
      const text = open === -1 ? rest : rest.slice(0, open);
      tokens.push({ kind: 'literal', text });
      rest = rest.slice(text.length);
      continue;
    }
    const close = closingBrace(rest);
    tokens.push(parseParameter(rest.slice(1, close), route));
    rest = rest.slice(close + 1);
  }
  return tokens;
}

function closingBrace(text: string): number {
  let depth = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '{') depth += 1;
    if (text[index] === '}') depth -= 1;
    if (depth === 0) return index;
  }
  return text.length - 1;
}

function parseParameter(body: string, route: string): Parameter {
  const catchAll = body.startsWith('*');
  const [head = '', ...constraintTexts] = splitConstraints(body.replace(/^\*{1,2}/, ''));
  const optional = head.endsWith('?');
  const [name = '', defaultValue] = head.replace(/\?$/, '').split('=');
  if (!/^[A-Za-z_][\w-]*$/.test(name)) throw badRoute(route, `has a bad parameter "${body}"`);
  return {
    kind: 'parameter',
    name,
    optional,
    catchAll,
    defaultValue,
    constraints: constraintTexts.map((text) => parseConstraint(text, route)),
  };
}

/** Splits `name:int:regex(a:b)` on colons outside parentheses. */
function splitConstraints(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of body) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

function segmentPattern(tokens: Token[]): string {
  const [only] = tokens;
  if (tokens.length === 1 && only?.kind === 'parameter') {
    if (only.catchAll) return '(?:/(.*))?';
    const value = '([^/]+)';
    return only.optional || only.defaultValue !== undefined ? `(?:/${value})?` : `/${value}`;
  }
  return `/${tokens.map(tokenPattern).join('')}`;
}

function tokenPattern(token: Token): string {
  if (token.kind === 'literal') return escapeRegExp(token.text);
  return token.optional ? '([^/]*?)' : '([^/]+?)';
}

function segmentPrecedence(tokens: Token[]): number {
  const [only] = tokens;
  if (tokens.length > 1) return 2;
  if (only === undefined || only.kind === 'literal') return 1;
  if (only.catchAll) return only.constraints.length > 0 ? 5 : 6;
  return only.constraints.length > 0 ? 3 : 4;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function badRoute(route: string, problem: string): ConfigurationError {
  return new ConfigurationError(`The route "${route}" ${problem}; fix the function's route.`);
}
