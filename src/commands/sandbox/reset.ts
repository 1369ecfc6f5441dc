import type { Context } from '../../context.js';
import { resetDemoData } from '../../sandbox/demo.js';

export async function resetRun(ctx: Context): Promise<void> {
  const { file, count } = await resetDemoData(ctx);
  ctx.io.stderr.write(`sandbox demo data restored: ${count} visits in ${file}\n`);
}
