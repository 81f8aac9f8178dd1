/** `JSON.parse`, or undefined for text that is not JSON (for callers that report it their own way). */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
