import { describe, expect, it } from 'vitest';
import { oneLine, sanitize } from '../../src/output/sanitize.js';

describe('sanitize', () => {
  it.each([
    ['colour', 'a\x1b[31mred\x1b[0m b', 'ared b'],
    ['bell', 'ding\x07dong', 'dingdong'],
    ['screen clear and cursor moves', '\x1b[2J\x1b[1;1Hhi\x1b[?25l', 'hi'],
    ['window title (OSC, BEL)', '\x1b]0;pwned\x07title', 'title'],
    ['hyperlink (OSC 8, ST)', '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\', 'click'],
    ['8-bit CSI', 'a\u009b31mb', 'ab'],
    ['DCS', 'a\x1bPq#0;2;0;0;0\x1b\\b', 'ab'],
    ['single escape', 'a\x1bcb', 'ab'],
    ['NUL, backspace, DEL, C1', 'a\x00b\x08c\x7fd\u0086e', 'abcde'],
    ['bidi override', 'abc\u202edcba', 'abcdcba'],
    ['line breaks and tabs by default', 'a\r\nb\rc\nd\te', 'a b c d e'],
  ])('strips %s', (_what, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it('keeps line breaks (CRLF and CR as LF) and tabs only when asked', () => {
    expect(sanitize('a\r\nb\rc\n\td\x1b[1m', { newlines: true })).toBe('a\nb\nc\n d');
    expect(sanitize('a\r\nb\td', { tabs: true })).toBe('a b\td');
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(sanitize('Café Ness — 5.30pm ✓ 😀 東京')).toBe('Café Ness — 5.30pm ✓ 😀 東京');
  });
});

describe('oneLine', () => {
  it('shows line breaks as a visible ⏎, trimming blanks around them and at the ends', () => {
    expect(oneLine('Contact 0199 \r\n AQUARIUS\r\n\r\nNo parking ')).toBe('Contact 0199 ⏎ AQUARIUS ⏎ No parking');
  });

  it('uses another mark when given', () => {
    expect(oneLine('a\nb', ' ')).toBe('a b');
  });
});
