import { formatLine, type Logger } from '../src/log.js';

/**
 * For what happens outside any one invocation (pools opened and closed, login retries): the
 * Functions host collects the worker's console output into the app's logs. Lines pass the
 * same allow-list and redaction as invocation logs.
 */
export const processLogger: Logger = {
  log(level, message, fields) {
    const line = formatLine(level, message, fields);
    /* eslint-disable no-console -- the worker's console is the host's process-wide log */
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else if (level === 'info') console.info(line);
    else console.debug(line);
    /* eslint-enable no-console */
  },
};
