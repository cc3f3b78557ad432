/**
 * The host-unaware request and response of the entity API: the adapters in functions/ turn
 * the Functions host's types into these and back.
 */

/** One HTTP request as the API needs it. */
export interface ApiRequest {
  method: string;
  /** The absolute URL as received, query string included, path still percent-encoded. */
  url: string;
  /** Header names in lower case; repeated headers joined with a comma. */
  headers: Readonly<Record<string, string>>;
  /** The route values: the entity name and, on item routes, the key segment. */
  params: { entity: string; key?: string };
  /** The body bytes; undefined when the request has none. */
  body?: Uint8Array;
}

/** One HTTP response: `body` is serialised as JSON; no body for 204. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** A JSON response with the headers every API answer carries. */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResponse {
  return { status, headers: { 'Cache-Control': 'no-store', ...headers }, body };
}
