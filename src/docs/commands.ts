import type { Command } from 'commander';
import { PassThrough, Readable } from 'node:stream';
import { systemClock, type Context } from '../context.js';
import { buildProgram } from '../program.js';

/**
 * docs/commands/ is generated from the Commander tree (gh's gen-docs): one page per command with its
 * full --help text, examples included. A test fails when the committed pages differ from what this
 * renders, so the docs cannot drift from the code. Regenerate with `npm run docs`.
 */

const HELP_WIDTH = 100;

function docContext(): Context {
  const sink = new PassThrough();
  return {
    io: { stdout: sink, stderr: sink, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false, columns: 0 },
    clock: systemClock,
    env: {},
    paths: { config: '/nonexistent', cache: '/nonexistent', data: '/nonexistent' },
    signal: new AbortController().signal,
    version: 'docs',
  };
}

function helpText(cmd: Command): string {
  let text = '';
  cmd.configureHelp({ helpWidth: HELP_WIDTH });
  cmd.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s), getOutHelpWidth: () => HELP_WIDTH, getErrHelpWidth: () => HELP_WIDTH });
  cmd.outputHelp();
  return text.trimEnd();
}

function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function visible(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

/** File name → Markdown, for every visible command and an index. */
export function renderCommandDocs(): Map<string, string> {
  const program = buildProgram(docContext());
  const pages = new Map<string, string>();
  const index: string[] = ['# Command reference', '', 'Generated from the command definitions by `npm run docs`; do not edit by hand.', ''];
  const walk = (cmd: Command, depth: number) => {
    const name = fullName(cmd);
    const file = `${name.replace(/ /g, '_')}.md`;
    const subs = visible(cmd);
    const body = [`# ${name}`, '', cmd.description(), '', '```', helpText(cmd), '```', ''];
    if (subs.length > 0) {
      body.push('## Commands', '');
      for (const s of subs) body.push(`- [${fullName(s)}](${fullName(s).replace(/ /g, '_')}.md): ${s.description()}`);
      body.push('');
    }
    pages.set(file, body.join('\n'));
    index.push(`${'  '.repeat(depth)}- [${name}](${file}): ${cmd.description()}`);
    for (const s of subs) walk(s, depth + 1);
  };
  walk(program, 0);
  pages.set('README.md', `${index.join('\n')}\n`);
  return pages;
}
