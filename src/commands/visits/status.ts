import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { countByDriver, DRIVER_COUNT_FIELDS, skippedVisits, territoryFilter } from '../../dispatch/counts.js';
import { renderDriverTable, renderSkippedList } from '../../dispatch/status-table.js';
import { colorFor } from '../../output/color.js';
import { rendererFor } from '../render.js';
import { oneLine } from '../../output/sanitize.js';
import { writeText } from '../../output/sink.js';
import { DEFAULT_CONCURRENCY, withSession } from '../../session.js';
import { fieldList, type OutputOptions } from '../output-options.js';
import { startSpinner } from '../spinner.js';
import { dayFilters, fetchDay, warnOnStderr } from './status-fetch.js';

export interface StatusCommandOptions extends GlobalOptions, OutputOptions {
  date: string;
  driver?: string;
  territory?: string[];
}

export async function statusRun(ctx: Context, opts: StatusCommandOptions): Promise<void> {
  const filters = dayFilters(opts, ctx.clock.now());
  await withSession(ctx, opts, async ({ client }) => {
    const spinner = await startSpinner(ctx, opts, `Counting visits for ${String(filters.date)}`);
    const visits = await fetchDay(client, filters, {
      prefetch: opts.concurrency ?? DEFAULT_CONCURRENCY,
      signal: ctx.signal,
      keep: territoryFilter(opts.territory),
      onMoved: warnOnStderr(ctx),
    }).finally(() => spinner.stop());
    const rows = countByDriver(visits);
    const fields = fieldList(opts.fields);

    // The dispatcher's view: only for a person at a terminal, and only when they did not pick columns.
    if (opts.output === 'table' && ctx.io.stdoutIsTTY && !fields) {
      if (rows.length === 0) {
        ctx.io.stderr.write(`No visits for ${String(filters.date)}${opts.driver !== undefined ? ` and driver ${opts.driver}` : ''}.\n`);
        return;
      }
      const chalk = colorFor(ctx.io, 'stdout', { env: ctx.env, color: opts.color });
      const scope = [String(filters.date), opts.driver !== undefined ? `driver ${opts.driver}` : '', opts.territory?.length ? `territory ${opts.territory.join(', ')}` : '']
        .filter((p) => p !== '')
        .join(' · ');
      const skipped = skippedVisits(visits);
      let text = `${chalk.bold(`Visits ${oneLine(scope)}`)}\n\n${renderDriverTable(rows, { chalk, width: ctx.io.columns })}`;
      if (skipped.length > 0) text += `\n${renderSkippedList(skipped, { chalk, width: ctx.io.columns })}`;
      await writeText(ctx.io.stdout, text);
      return;
    }

    // Fixed columns, so an empty day still gets its CSV header and the order never depends on the data.
    const renderer = rendererFor(ctx, opts, 'records', DRIVER_COUNT_FIELDS);
    for (const row of rows) await renderer.write({ ...row });
    await renderer.end();
  });
}
