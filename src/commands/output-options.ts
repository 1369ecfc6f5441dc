import { Option, type Command } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/formats.js';

export interface OutputOptions {
  output: OutputFormat;
  fields?: string;
  /** False after --no-header. */
  header: boolean;
  escapeFormulas?: boolean;
}

/** The output flags every data command shares (design.md): one spelling, one behaviour. */
export function addOutputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-o, --output <format>', 'table (a tab-separated table when piped), json, ndjson or csv').choices(OUTPUT_FORMATS).default('table'))
    .addOption(new Option('--fields <list>', 'comma-separated fields to show, any field, nested with dots (e.g. docNo,customer,time_windows.0.earliest)'))
    .addOption(new Option('--no-header', 'omit the header line of table and csv output'))
    .addOption(new Option('--escape-formulas', 'prefix CSV cells starting with = + - @ with a quote, so spreadsheets do not run them'));
}

export function fieldList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const fields = value.split(',').map((f) => f.trim()).filter((f) => f !== '');
  return fields.length > 0 ? fields : undefined;
}
