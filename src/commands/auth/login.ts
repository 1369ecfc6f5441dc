import { promptSecret, readAll } from '../../cli/prompt.js';
import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { maskKey, registerSecret } from '../../redact.js';
import { fetchPage } from '../../api/visits.js';
import { openConfigStore } from '../../config/store.js';
import { DEFAULT_API_URL, profileName, withSession } from '../../session.js';

export interface LoginOptions extends GlobalOptions {
  withKey?: boolean;
  keyPlacement: 'header' | 'query';
}

export async function loginRun(ctx: Context, opts: LoginOptions): Promise<void> {
  if (opts.sandbox) throw new UsageError('--sandbox needs no login: it always uses the key "sandbox"');
  const profile = profileName(ctx, opts);
  const config = await openConfigStore(ctx.paths.config, (l) => ctx.io.stderr.write(`ljit: ${l}\n`));
  const apiUrl = opts.apiUrl ?? (ctx.env.LJIT_API_URL?.trim() || undefined) ?? config.getProfile(profile)?.apiUrl ?? DEFAULT_API_URL;

  let key: string;
  if (opts.withKey) {
    key = (await readAll(ctx.io.stdin)).trim();
  } else if (ctx.io.stdinIsTTY) {
    key = await promptSecret(ctx.io, `API key for ${apiUrl} (input hidden): `);
  } else {
    throw new UsageError('no terminal to ask for the key', 'Pipe the key in with: ljit auth login --with-key < keyfile');
  }
  if (key === '') throw new UsageError('the API key is empty');
  if (/\s/.test(key)) throw new UsageError('the API key contains spaces or line breaks; paste only the key');
  registerSecret(key);

  // One request proves the key and the URL before anything is saved.
  const total = await withSession(
    ctx,
    { ...opts, profile },
    async (session) => (await fetchPage(session.client, {}, 0, ctx.signal)).meta.totalRecords,
    { apiKey: key, apiUrl },
  );
  config.setProfile(profile, { apiUrl, apiKey: key, keyPlacement: opts.keyPlacement });
  ctx.io.stderr.write(
    `Logged in: profile "${profile}" now uses key ${maskKey(key)} at ${apiUrl} (${total.toLocaleString('en-GB')} visits visible).\n` +
      `Saved in ${config.path} (readable only by you).\n`,
  );
}
