import type { GlobalOptions } from '../../cli/globals.js';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { findByErpId, getVisit } from '../../api/visits.js';
import { renderVisitDetail } from '../../output/detail.js';
import { projectFields } from '../../output/fields.js';
import { toJson } from '../../output/format-json.js';
import { writeText } from '../../output/sink.js';
import { rendererFor } from '../render.js';
import { withSession } from '../../session.js';
import { fieldList, type OutputOptions } from '../output-options.js';

export interface GetCommandOptions extends GlobalOptions, OutputOptions {
  erpId?: string;
}

export async function getRun(ctx: Context, id: string | undefined, opts: GetCommandOptions): Promise<void> {
  if (id === undefined && opts.erpId === undefined) throw new UsageError('give a visit _id, or --erp-id <id>', 'Example: ljit visits get yKQhJZ9B7PTT85kWc');
  if (id !== undefined && opts.erpId !== undefined) throw new UsageError('give either a visit _id or --erp-id, not both');
  await withSession(ctx, opts, async ({ client }) => {
    const visit = id !== undefined ? await getVisit(client, id, ctx.signal) : await findByErpId(client, opts.erpId ?? '', ctx.signal);
    const fields = fieldList(opts.fields);
    if (opts.output === 'table' && ctx.io.stdoutIsTTY && !fields) {
      renderVisitDetail(visit, { io: ctx.io, color: opts.color, env: ctx.env });
      return;
    }
    if (opts.output === 'json') {
      // `get` prints the record itself, not a one-element array.
      const record = fields ? projectFields(visit, fields) : visit;
      await writeText(ctx.io.stdout, `${toJson(record, ctx.io.stdoutIsTTY ? 2 : undefined)}\n`);
      return;
    }
    const renderer = rendererFor(ctx, opts, 'visits');
    await renderer.write(visit);
    await renderer.end();
  });
}
