#!/usr/bin/env node
// The executable only loads the built CLI; all logic lives in src/ (compiled to dist/).
import('../dist/cli.js').catch((err) => {
  process.stderr.write(`ljit: cannot start (${err && err.message ? err.message : err}). Run "npm run build" first.\n`);
  process.exitCode = 1;
});
