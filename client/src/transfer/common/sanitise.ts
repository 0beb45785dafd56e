// Server-provided names and messages go into terminals, logs and notifications. A hostile server
// could put ANSI escape sequences in them (clear the screen, hide or fake a line, set the window
// title) or control characters that break a log line. Escaping every C0/C1 control character
// (ESC included) and the Unicode line separators and direction overrides leaves only the visible
// text of a sequence, which does nothing.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each control character written as a visible escape (`\x1b`, `\x07`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** True when `text` holds a character `printable` would escape. */
export function hasControlCharacters(text: string): boolean {
  return printable(text) !== text;
}
