import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { AuthError, LjitError } from '../../errors.js';
import { maskKey } from '../../redact.js';
import { fetchPage } from '../../api/visits.js';
import { openSession } from '../../session.js';

export interface StatusOptions extends GlobalOptions {
  output: 'table' | 'json';
}

export async function statusRun(ctx: Context, opts: StatusOptions): Promise<void> {
  const session = await openSession(ctx, opts);
  try {
    const { target, client } = session;
    let works = false;
    let problem: string | undefined;
    let visits: number | undefined;
    let failure: LjitError | undefined;
    try {
      visits = (await fetchPage(client, {}, 0, ctx.signal)).meta.totalRecords;
      works = true;
    } catch (err) {
      if (!(err instanceof LjitError)) throw err;
      problem = err.message;
      failure = err;
    }
    const rate = client.gate.lastInfo;
    const report = {
      profile: target.profile,
      apiUrl: target.apiUrl,
      key: target.apiKey ? maskKey(target.apiKey) : null,
      keySource: target.keySource,
      keyPlacement: target.keyPlacement,
      keyWorks: works,
      visits: visits ?? null,
      rateRemaining: rate?.remaining ?? null,
      rateResetSeconds: rate?.resetMs !== undefined ? Math.ceil(rate.resetMs / 1000) : null,
      configFile: session.config.path,
      ...(problem ? { problem } : {}),
    };
    if (opts.output === 'json') {
      ctx.io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const lines = [
        ['Profile', report.profile],
        ['API URL', report.apiUrl],
        ['Key', `${report.key ?? '(none)'} (from ${report.keySource}, sent as ${report.keyPlacement === 'query' ? '?API_KEY=' : 'Bearer header'})`],
        ['Key works', works ? `yes (${(visits ?? 0).toLocaleString('en-GB')} visits visible)` : `no: ${problem ?? 'unknown'}`],
        ['Rate budget', report.rateRemaining !== null ? `${report.rateRemaining} requests left, window resets in ${report.rateResetSeconds ?? '?'} s` : 'unknown (the server sent no rate headers)'],
        ['Config file', report.configFile],
      ];
      ctx.io.stdout.write(`${lines.map(([k, v]) => `${(k ?? '').padEnd(12)} ${v ?? ''}`).join('\n')}\n`);
    }
    if (failure instanceof AuthError) throw failure;
    if (failure) throw failure;
  } finally {
    await session.close();
  }
}
