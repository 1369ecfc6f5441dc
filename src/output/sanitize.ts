/**
 * Server text is untrusted: before it reaches a terminal, remove ANSI escape sequences (colour, cursor
 * moves, OSC 8 links, title changes...), C0/C1 control characters and bidirectional overrides
 * (Trojan Source). Line breaks and tabs survive only where the caller allows them; elsewhere they become
 * a space so words do not run together. `\r\n` and a lone `\r` count as one line break.
 */

/* eslint-disable no-control-regex */
const ANSI_SEQUENCE = new RegExp(
  [
    '(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*[@-~]', // CSI ... final byte (SGR colours, cursor moves, erase)
    '(?:\\x1b\\]|\\x9d)[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?', // OSC ... BEL or ST (titles, hyperlinks)
    '(?:\\x1b[PX^_]|[\\x90\\x98\\x9e\\x9f])[^\\x1b\\x9c]*(?:\\x1b\\\\|\\x9c)?', // DCS, SOS, PM, APC ... ST
    '\\x1b[ -/]*[0-~]', // any other escape: intermediates then a final byte
  ].join('|'),
  'g',
);
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]/g;
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
/* eslint-enable no-control-regex */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export interface SanitizeOptions {
  /** Keep line breaks (as `\n`); otherwise each becomes a space. */
  newlines?: boolean;
  /** Keep tabs; otherwise each becomes a space. */
  tabs?: boolean;
}

/** Only text a terminal shows as text: no escape sequences, no control characters. */
export function sanitize(text: string, opts: SanitizeOptions = {}): string {
  const nl = opts.newlines === true ? '\n' : ' ';
  return text
    .replace(ANSI_SEQUENCE, '')
    .replace(BIDI_CONTROL, '')
    .replace(LINE_BREAK, nl)
    .replace(/\t/g, opts.tabs === true ? '\t' : ' ')
    .replace(CONTROL, (c) => (c === '\n' && opts.newlines === true ? c : ''));
}

/**
 * One line for a table cell: sanitized, each line break (with the blanks around it) shown as `mark`,
 * leading and trailing blanks dropped. The default mark is a visible ` ⏎ `.
 */
export function oneLine(text: string, mark = ' ⏎ '): string {
  return sanitize(text, { newlines: true })
    .trim()
    .replace(/[ \t]*\n\s*/g, mark);
}

/** Remove ANSI sequences only (to measure text we styled ourselves). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}
