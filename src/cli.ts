import { createSystemContext } from './context.js';
import { ExitCode } from './errors.js';
import { main } from './main.js';
import { packageVersion } from './package-root.js';

/** The process entry point: the only place that sets the exit code and listens for signals. */

const controller = new AbortController();
let interrupts = 0;
function onSignal(signal: NodeJS.Signals): void {
  interrupts += 1;
  if (interrupts === 1) {
    // First Ctrl-C: commands stop dispatching, let in-flight work finish and save what can be resumed.
    controller.abort(new Error(`received ${signal}`));
  } else {
    process.stderr.write('ljit: interrupted again, exiting now\n');
    process.exit(ExitCode.interrupted);
  }
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// A closed pipe (ljit ... | head) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const ctx = createSystemContext(packageVersion(), controller.signal);
process.exitCode = await main(process.argv.slice(2), ctx);
