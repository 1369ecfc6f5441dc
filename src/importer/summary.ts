import { sanitize } from '../output/sanitize.js';
import { duration, fmt } from './progress.js';
import type { PlanResult } from './plan.js';

/** The end of an import: one block on stderr for people, or one JSON object on stdout with -o json. */

export interface ImportSummary {
  file: string;
  format: string;
  dryRun: boolean;
  rowsRead: number;
  valid: number;
  invalid: number;
  duplicatesSkipped: number;
  sent: number;
  inserted: number;
  updated: number;
  /** Known only from a dry run's comparison. */
  unchanged: number | null;
  failed: number;
  skippedResume: number;
  notSent: number;
  batches: number;
  unverifiedBatches: number;
  requests: number;
  retries: number;
  rateLimited: number;
  elapsedMs: number;
  interrupted: boolean;
  journal: string | null;
  report: string | null;
  rejects: string | null;
  resumeCommand: string | null;
  plan?: PlanResult;
}

function line(label: string, value: string): string {
  return `  ${label.padEnd(16)}${value}`;
}

export function summaryText(s: ImportSummary): string {
  const out: string[] = [];
  const head = s.dryRun
    ? `Dry run of ${s.file}: nothing was sent`
    : s.interrupted
      ? `Import of ${s.file} interrupted`
      : s.failed > 0 || s.notSent > 0
        ? `Import of ${s.file} finished, not every row was imported`
        : `Imported ${s.file}`;
  out.push(`${sanitize(head)} (${duration(s.elapsedMs / 1000)})`);
  out.push(line('rows read', fmt(s.rowsRead)));
  out.push(line('valid', fmt(s.valid)));
  if (s.invalid > 0) out.push(line('invalid', fmt(s.invalid)));
  if (s.duplicatesSkipped > 0) out.push(line('superseded', `${fmt(s.duplicatesSkipped)} (same id later in the file, --last-wins)`));
  if (s.plan) {
    const p = s.plan;
    const how =
      p.strategy === 'ids'
        ? `one request per ERP id (cheaper than listing all ${fmt(p.existingInCompany)} visits of the company)`
        : p.strategy === 'company'
          ? `listing the company's ${fmt(p.existingInCompany)} visits once (cheaper than one request per ERP id)`
          : 'nothing to look up';
    out.push(line('would insert', fmt(p.insert)));
    out.push(line('would update', fmt(p.update)));
    out.push(line('unchanged', fmt(p.unchanged)));
    out.push(line('looked up by', `${how}: ${fmt(p.lookupRequests)} request${p.lookupRequests === 1 ? '' : 's'}`));
    if (p.firstUpdates.length > 0) {
      out.push(`  first updates:`);
      for (const u of p.firstUpdates) {
        const shown = u.changes.slice(0, SHOW_FIELDS).map((c) => `${c.field} ${JSON.stringify(short(c.from ?? '?'))} → ${JSON.stringify(short(c.to))}`);
        if (u.changes.length > SHOW_FIELDS) shown.push(`and ${u.changes.length - SHOW_FIELDS} more (${u.changes.slice(SHOW_FIELDS).map((c) => c.field).join(', ')})`);
        const changes = shown.join(', ');
        out.push(`    line ${u.line}, id ${sanitize(u.id)}: ${sanitize(changes)}`);
      }
    }
  } else {
    out.push(line('inserted', fmt(s.inserted)));
    out.push(line('updated', fmt(s.updated)));
    out.push(line('unchanged', s.unchanged === null ? 'not known (the API returns counts only; see --dry-run)' : fmt(s.unchanged)));
    out.push(line('failed', fmt(s.failed)));
    if (s.skippedResume > 0) out.push(line('already sent', `${fmt(s.skippedResume)} (acknowledged before the interruption)`));
    if (s.notSent > 0) out.push(line('not sent', fmt(s.notSent)));
    if (s.unverifiedBatches > 0) out.push(line('unverified', `${fmt(s.unverifiedBatches)} batch${s.unverifiedBatches === 1 ? '' : 'es'} whose counts do not add up`));
  }
  out.push(line('requests', `${fmt(s.requests)} (${fmt(s.retries)} retries, ${fmt(s.rateLimited)} rate-limited)`));
  if (s.report) out.push(line('report', sanitize(s.report)));
  if (s.rejects) out.push(line('rejects', sanitize(s.rejects)));
  return `${out.join('\n')}\n`;
}

/** Changed fields shown per update; the rest are named. */
const SHOW_FIELDS = 4;

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
