/**
 * Text from a scenario or from the network (names, paths, failure messages) goes to a terminal
 * only with its control characters made visible: an ESC sequence in a scenario name must not clear
 * the screen or move the cursor, and a CR must not overwrite what was printed before it.
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One line as it may be printed: every C0/C1 control character and DEL shown as an escape. */
export function terminalSafe(line: string): string {
  return line.replace(CONTROL, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A block of lines (joined by \n) with each line made safe; the line breaks themselves are kept. */
export function terminalSafeLines(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}
