import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCommandDocs } from './commands.js';

/** `npm run docs`: rewrites docs/commands/ from the command tree. */
const dir = join(import.meta.dirname, '..', '..', 'docs', 'commands');
mkdirSync(dir, { recursive: true });
const pages = renderCommandDocs();
for (const file of readdirSync(dir)) if (file.endsWith('.md') && !pages.has(file)) unlinkSync(join(dir, file));
for (const [file, text] of pages) writeFileSync(join(dir, file), text);
process.stdout.write(`wrote ${pages.size} pages to ${dir}\n`);
