import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCommandDocs } from '../src/docs/commands.js';
import { HELP_TOPICS, readTopic } from '../src/commands/help-topics.js';
import { runInProcess } from './helpers/cli.js';

const DOCS = join(import.meta.dirname, '..', 'docs');

describe('generated docs', () => {
  it('docs/commands matches the command definitions (run "npm run docs" when this fails)', () => {
    const pages = renderCommandDocs();
    const onDisk = readdirSync(join(DOCS, 'commands')).filter((f) => f.endsWith('.md')).sort();
    expect(onDisk).toEqual([...pages.keys()].sort());
    for (const [file, text] of pages) expect(readFileSync(join(DOCS, 'commands', file), 'utf8'), file).toBe(text);
  });

  it('documents every command with a description and an example', () => {
    for (const [file, text] of renderCommandDocs()) {
      if (file === 'README.md' || file === 'ljit_help.md') continue;
      expect(text, file).toMatch(/Examples:\n\s+\$ ljit /);
    }
  });
});

describe('help topics', () => {
  it.each(Object.keys(HELP_TOPICS))('ljit help %s prints the docs page', async (topic) => {
    const res = await runInProcess(['help', topic]);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(readTopic(topic));
    expect(res.stdout).toBe(readFileSync(join(DOCS, HELP_TOPICS[topic]!.file), 'utf8'));
  });

  it('still shows help for a command, and refuses an unknown name with exit 2', async () => {
    expect((await runInProcess(['help', 'visits', 'list'])).stdout).toContain('Usage: ljit visits list');
    const res = await runInProcess(['help', 'nope']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no command or help topic "nope"');
  });
});
