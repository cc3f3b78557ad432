import { randomUUID } from 'node:crypto';
import type { DequeuedMessageItem } from '@azure/storage-queue';
import type { TriggerMetadata } from '@azure/functions';
import type { MessageEncoding } from './host-config.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The message is not valid base64 while host.json says messages are base64. */
export class MessageEncodingError extends Error {
  constructor() {
    super('The queue message is not valid base64, which host.json messageEncoding expects.');
    this.name = 'MessageEncodingError';
  }
}

/** The message text as the function sees it, decoded per host.json's messageEncoding. */
export function decodeMessageText(text: string, encoding: MessageEncoding): string {
  if (encoding === 'none') return text;
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) throw new MessageEncodingError();
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** The handler's input as @azure/functions gives it: parsed when JSON, the text otherwise. */
export function toQueueInput(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** triggerMetadata as the host sends it for a queue message, keys camel-cased by the library. */
export function queueTriggerMetadata(
  message: DequeuedMessageItem,
  text: string,
  functionName: string,
): TriggerMetadata {
  return {
    queueTrigger: toQueueInput(text),
    dequeueCount: message.dequeueCount,
    expirationTime: message.expiresOn.toISOString(),
    id: message.messageId,
    insertionTime: message.insertedOn.toISOString(),
    nextVisibleTime: message.nextVisibleOn.toISOString(),
    popReceipt: message.popReceipt,
    sys: { methodName: functionName, utcNow: new Date().toISOString(), randGuid: randomUUID() },
  };
}
