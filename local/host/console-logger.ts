import { formatLine, type Logger } from '../../src/log.js';

/** The offline host's default: one JSON line per entry on stdout, allow-listed and redacted. */
export const consoleLogger: Logger = {
  log(level, message, fields) {
    process.stdout.write(`${formatLine(level, message, fields)}\n`);
  },
};
