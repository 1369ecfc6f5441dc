/**
 * Escape sequences that put the terminal back (leave the alternate screen, show the cursor), registered
 * by whatever changed it. A second Ctrl-C exits at once, without the command's own cleanup; the entry
 * point writes these first so the user's terminal is never left in the watch board's state.
 */
const pending = new Set<string>();

export function registerTerminalRestore(sequence: string): () => void {
  pending.add(sequence);
  return () => {
    pending.delete(sequence);
  };
}

export function terminalRestoreText(): string {
  return [...pending].join('');
}
