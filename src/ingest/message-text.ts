import { VaultgateError } from '../errors.js';

/** A queue message as the function received it: its text, and its JSON value when it has one. */
export interface MessageText {
  /** The text of the message, for the poison queue. */
  text: string;
  /** The parsed JSON; undefined when the text is not JSON. */
  value: unknown;
}

/**
 * Recovers the message text from the handler's input. The Functions host hands over JSON
 * already parsed and anything else as a string (or bytes), so the text of a JSON message is
 * its JSON written out again: the same value, though not necessarily the same spacing.
 */
export function messageText(input: unknown): MessageText {
  if (Buffer.isBuffer(input) || input instanceof Uint8Array) {
    return fromText(Buffer.from(input).toString('utf8'));
  }
  if (typeof input === 'string') return fromText(input);
  return { text: JSON.stringify(input) ?? '', value: input };
}

function fromText(text: string): MessageText {
  try {
    return { text, value: JSON.parse(text) as unknown };
  } catch {
    return { text, value: undefined };
  }
}

/** The refusal of a message whose text is not JSON at all. */
export function notJson(): VaultgateError {
  return new VaultgateError(400, 'NotJson', 'the message is not JSON; send a JSON object', {
    target: 'message',
  });
}
