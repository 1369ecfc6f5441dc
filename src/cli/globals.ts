import type { Command } from 'commander';

/** Options every command accepts (design.md), as Commander hands them over. */
export interface GlobalOptions {
  profile?: string;
  apiUrl?: string;
  verbose?: boolean;
  /** Per-attempt timeout in milliseconds. */
  timeout?: number;
  maxRetries?: number;
  concurrency?: number;
  sandbox?: boolean;
  /** Client-side budget; null after --rate-limit off. */
  rateLimit?: { limit: number; windowMs: number } | null;
  /** False after --no-color. */
  color: boolean;
}

/** The global options merged with the command's own, typed. */
export function optionsOf<T extends object>(cmd: Command): T & GlobalOptions {
  return cmd.optsWithGlobals<T & GlobalOptions>();
}
