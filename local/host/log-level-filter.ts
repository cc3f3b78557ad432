import type { LogLevel as FunctionsLogLevel } from '@azure/functions';
import type { LogLevel } from '../../src/log.js';

const SEVERITY: Record<string, number> = {
  trace: 0,
  debug: 1,
  information: 2,
  warning: 3,
  error: 4,
  critical: 5,
  none: 6,
};

/** The Functions log levels in the four levels of the project's Logger. */
export function toLoggerLevel(level: FunctionsLogLevel): LogLevel {
  switch (level) {
    case 'trace':
    case 'debug':
      return 'debug';
    case 'warning':
      return 'warn';
    case 'error':
    case 'critical':
      return 'error';
    default:
      return 'info';
  }
}

/**
 * Whether host.json's `logging.logLevel` lets an entry of this category through. As in the
 * Functions host, the longest category that prefixes this one wins (`Function.<name>.User`
 * over `Function.<name>` over `Function`), then `default`, then Information.
 */
export function isLogged(
  levels: Record<string, string>,
  category: string,
  level: FunctionsLogLevel,
): boolean {
  const minimum = minimumLevel(levels, category);
  return (SEVERITY[level] ?? SEVERITY.information!) >= minimum && minimum < SEVERITY.none!;
}

function minimumLevel(levels: Record<string, string>, category: string): number {
  let best: string | undefined;
  for (const name of Object.keys(levels)) {
    const prefixes = name === category || category.startsWith(`${name}.`);
    if (prefixes && (best === undefined || name.length > best.length)) best = name;
  }
  const chosen = levels[best ?? 'default'] ?? levels.Default ?? 'Information';
  return SEVERITY[chosen.toLowerCase()] ?? SEVERITY.information!;
}
