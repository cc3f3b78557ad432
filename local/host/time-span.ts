/**
 * Reads a .NET TimeSpan as host.json writes it: `hh:mm:ss`, `d.hh:mm:ss`, with optional
 * fractional seconds (`00:00:01.500`). Returns milliseconds, or undefined when the text is not
 * a TimeSpan, so the caller can name the setting at fault.
 */
export function parseTimeSpan(text: string): number | undefined {
  const match = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (match === null) return undefined;
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  const wholeSeconds =
    Number(days ?? 0) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
  const fractionMs = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1_000;
  const ms = wholeSeconds * 1_000 + fractionMs;
  return minus === undefined ? ms : -ms;
}
