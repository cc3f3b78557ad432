import { InvocationContext } from '@azure/functions';
import { vi } from 'vitest';
import { formatLine, redact, type Logger } from '../src/log.js';

/**
 * Everything the code under test writes: invocation logs, process logs on the console, and
 * whatever a test adds (responses, error messages), so a test can assert that no secret
 * appears anywhere.
 */
export class Capture {
  readonly lines: string[] = [];

  readonly logger: Logger = {
    log: (level, message, fields) => this.lines.push(formatLine(level, message, fields)),
  };

  context(functionName = 'test'): InvocationContext {
    return new InvocationContext({
      functionName,
      invocationId: `test-${this.lines.length}`,
      logHandler: (level, ...args) => this.lines.push(`${level} ${args.map(String).join(' ')}`),
    });
  }

  /** Routes console output into the capture until the returned function is called. */
  console(): () => void {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        this.lines.push(`${method} ${args.map(String).join(' ')}`);
      }),
    );
    return () => spies.forEach((spy) => spy.mockRestore());
  }

  add(value: unknown): void {
    this.lines.push(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /**
   * The secrets that appear in the capture: those named here, and any value the code
   * registered as sensitive (reported by line number, never by value). A test expects [].
   */
  leaked(secrets: string[]): string[] {
    const all = this.lines.join('\n');
    const named = secrets.filter((secret) => secret.length > 0 && all.includes(secret));
    const registered = this.lines.flatMap((line, index) =>
      redact(line) === line ? [] : [`a registered secret in captured line ${index}`],
    );
    return [...named.map((_, index) => `named secret ${index}`), ...registered];
  }
}
