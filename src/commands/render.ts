import type { Context } from '../context.js';
import { createRenderer, type Renderer } from '../output/renderer.js';
import { fieldList, type OutputOptions } from './output-options.js';

/** The renderer a data command's output flags ask for (`-o`, `--fields`, `--no-header`, `--escape-formulas`, `--no-color`). */
export function rendererFor(ctx: Context, opts: OutputOptions & { color: boolean }, kind: 'visits' | 'records', defaultFields?: readonly string[]): Renderer {
  const fields = fieldList(opts.fields) ?? defaultFields;
  return createRenderer({
    format: opts.output,
    io: ctx.io,
    color: opts.color,
    env: ctx.env,
    header: opts.header,
    escapeFormulas: opts.escapeFormulas === true,
    kind,
    ...(fields ? { fields } : {}),
  });
}
