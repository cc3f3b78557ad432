import { ConfigurationError } from '../../src/errors.js';

/** A check on one route value, as an ASP.NET route constraint such as `int` or `min(1)`. */
export type RouteConstraint = (value: string) => boolean;

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };
const GUID = /^(?:\{)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}(?:\})?$/i;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;

const SIMPLE: Record<string, RouteConstraint> = {
  int: (value) => isIntegerIn(value, INT32.min, INT32.max),
  long: (value) => /^[-+]?\d{1,19}$/.test(value) && isSafeLong(value),
  bool: (value) => /^(true|false)$/i.test(value),
  guid: (value) => GUID.test(value),
  alpha: (value) => /^[a-z]+$/i.test(value),
  decimal: (value) => NUMBER.test(value),
  double: (value) => NUMBER.test(value),
  float: (value) => NUMBER.test(value),
  datetime: (value) => !Number.isNaN(Date.parse(value)),
  required: (value) => value.length > 0,
};

/** Turns `name` or `name(arguments)` into a check; an unknown one is a configuration error. */
export function parseConstraint(text: string, route: string): RouteConstraint {
  const match = /^([a-z]+)(?:\((.*)\))?$/is.exec(text);
  const name = match?.[1]?.toLowerCase();
  const args = match?.[2];
  const simple = name === undefined ? undefined : SIMPLE[name];
  if (simple !== undefined && args === undefined) return simple;
  const withArguments = name === undefined || args === undefined ? undefined : argued(name, args);
  if (withArguments !== undefined) return withArguments;
  throw new ConfigurationError(
    `The route "${route}" uses the constraint "${text}", which the host does not know.`,
  );
}

function argued(name: string, args: string): RouteConstraint | undefined {
  const numbers = args.split(',').map((part) => Number(part.trim()));
  const [first = NaN, second = NaN] = numbers;
  switch (name) {
    case 'minlength':
      return (value) => value.length >= first;
    case 'maxlength':
      return (value) => value.length <= first;
    case 'length':
      return numbers.length === 1
        ? (value) => value.length === first
        : (value) => value.length >= first && value.length <= second;
    case 'min':
      return (value) => isIntegerIn(value, first, Number.MAX_SAFE_INTEGER);
    case 'max':
      return (value) => isIntegerIn(value, Number.MIN_SAFE_INTEGER, first);
    case 'range':
      return (value) => isIntegerIn(value, first, second);
    case 'regex': {
      // As in ASP.NET, the pattern is not anchored for you and ignores case.
      const pattern = new RegExp(args, 'i');
      return (value) => pattern.test(value);
    }
    default:
      return undefined;
  }
}

function isIntegerIn(value: string, min: number, max: number): boolean {
  if (!/^[-+]?\d+$/.test(value)) return false;
  const number = Number(value);
  return number >= min && number <= max;
}

function isSafeLong(value: string): boolean {
  const big = BigInt(value);
  return big >= -(2n ** 63n) && big < 2n ** 63n;
}
