import { formatLine, type LogFields, type Logger, type LogLevel } from '../../../src/log.js';

/** A logger that keeps each entry, and the line the console logger would print for it. */
export class CaptureLogger implements Logger {
  readonly entries: { level: LogLevel; message: string; fields: LogFields }[] = [];
  readonly lines: string[] = [];

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    this.entries.push({ level, message, fields });
    this.lines.push(formatLine(level, message, fields));
  }

  /** The invocation lines of one function. */
  invocations(functionName: string): LogFields[] {
    return this.entries
      .filter((entry) => entry.message === 'Function invocation finished')
      .map((entry) => entry.fields)
      .filter((fields) => fields.function === functionName);
  }
}
