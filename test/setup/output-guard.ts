import { afterAll, expect } from 'vitest';
import { redact } from '../../src/log.js';

/**
 * Every test file runs with this guard: it records all that the code under test writes to
 * the console, stdout and stderr, and fails the file if any of it holds a value registered
 * as sensitive (connection strings, passwords, client secrets, keys) by the time the file
 * ends. The failure shows the lines redacted, never the secret.
 */
const written: string[] = [];

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    written.push(String(chunk));
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    written.push(args.map(String).join(' '));
    original(...args);
  };
}

afterAll(() => {
  const leaking = written.filter((text) => redact(text) !== text);
  expect(
    leaking.map((text) => redact(text).slice(0, 300)),
    'output that held a registered secret (shown redacted)',
  ).toEqual([]);
});
