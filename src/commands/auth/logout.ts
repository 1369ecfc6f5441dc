import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { openConfigStore } from '../../config/store.js';
import { profileName } from '../../session.js';

export async function logoutRun(ctx: Context, opts: GlobalOptions): Promise<void> {
  const profile = profileName(ctx, opts);
  const config = await openConfigStore(ctx.paths.config, (l) => ctx.io.stderr.write(`ljit: ${l}\n`));
  const removed = config.deleteProfile(profile);
  ctx.io.stderr.write(removed ? `Logged out: profile "${profile}" and its key are removed from ${config.path}.\n` : `Profile "${profile}" had no saved key; nothing to do.\n`);
  if (ctx.env.LJIT_API_KEY) ctx.io.stderr.write('Note: LJIT_API_KEY is set in the environment and still provides a key.\n');
}
