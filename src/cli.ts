import { ExitCode } from './errors.js';
import { packageVersion } from './package-root.js';
import { terminalRestoreText } from './terminal-restore.js';

/** The process entry point: the only place that sets the exit code and listens for signals. */

const controller = new AbortController();
let firstSignalAt = 0;
/**
 * A library of conf's (when-exit, through atomically) re-raises the signal it saw on our own process
 * right after the first one; only a second Ctrl-C a person typed, later than that echo, forces the exit.
 */
const ECHO_MS = 300;
function onSignal(signal: NodeJS.Signals): void {
  const now = Date.now();
  if (firstSignalAt === 0) {
    firstSignalAt = now;
    // First Ctrl-C: commands stop dispatching, let in-flight work finish and save what can be resumed.
    controller.abort(new Error(`received ${signal}`));
  } else if (now - firstSignalAt > ECHO_MS) {
    if (process.stdout.isTTY) process.stdout.write(terminalRestoreText());
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

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Scripts call this to check the install; answer without loading the command tree.
  process.stdout.write(`${packageVersion()}\n`);
} else {
  const [{ createSystemContext }, { main }] = await Promise.all([import('./context.js'), import('./main.js')]);
  process.exitCode = await main(argv, createSystemContext(packageVersion(), controller.signal));
}
