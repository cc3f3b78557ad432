/**
 * A value bound as a statement parameter. Temporal values travel as ISO 8601 text (or a Date)
 * and the server converts them to the column's type; json values are sent as JSON text.
 */
export type SqlValue = string | number | boolean | null | Date | Uint8Array | number[];
