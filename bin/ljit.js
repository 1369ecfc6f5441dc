#!/usr/bin/env node
// The executable only loads the built CLI (one bundle, split per command so each loads only what it
// needs); all logic lives in src/.
import('../dist/bundle/cli.js').catch((err) => {
  process.stderr.write(`ljit: cannot start (${err && err.message ? err.message : err}). Run "npm run build" first.\n`);
  process.exitCode = 1;
});
