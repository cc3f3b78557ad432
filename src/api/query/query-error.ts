import { VaultgateError } from '../../errors.js';
import { shortText } from '../../sql/column-lookup.js';

/** The stable codes of query-string errors, one per option. */
export type QueryErrorCode =
  'BadFilter' | 'BadOrderBy' | 'BadSelect' | 'BadFirst' | 'BadAfter' | 'BadCount' | 'BadQuery';

/** Which option a parser reads: the error code and target it reports. */
export interface OptionContext {
  code: QueryErrorCode;
  target: string;
}

/** A 400 naming the option at fault; the message must hold no more than an excerpt of input. */
export function queryError(context: OptionContext, message: string): VaultgateError {
  return new VaultgateError(400, context.code, message, { target: context.target });
}

/** Input quoted for a message: a short excerpt with invisible characters masked. */
export function excerpt(text: string): string {
  return `'${shortText(text)}'`;
}

/** Refuses an option longer than the limit before any work is done on it. */
export function checkLength(context: OptionContext, text: string, limit: number): void {
  if (text.length > limit) {
    throw queryError(context, `${context.target} is longer than ${limit} characters`);
  }
}
