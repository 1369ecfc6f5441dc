import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { ljit, tempDir, writeFile } from './helpers.js';

const KEY = 'import-key';
const EXAMPLES = resolve(import.meta.dirname, '../../docs/examples');
/** The examples carry the built-in sandbox key's company, so they import with  as they are. */
const EXAMPLE_COMPANY = 'iXMEkd73qY66FLwBi';

/** The example with its companyId replaced by this test sandbox key's company. */
function example(dir: string, name: string, company: string): string {
  const bytes = readFileSync(resolve(EXAMPLES, name));
  return writeFile(dir, name, Buffer.from(bytes.toString('utf8').replaceAll(EXAMPLE_COMPANY, company), 'utf8'));
}

describe('the documented examples import as docs/import-format.md says', () => {
  it('plain CSV, Excel CSV, a lines file and JSON give the same visits', async () => {
    const sb = await useSandbox({ keys: [KEY] });
    const dir = tempDir();
    const company = sb.companyIdFor(KEY);
    const byId = () => new Map(sb.visits(KEY).map((v) => [v.id, v]));

    let r = await ljit(['visits', 'import', example(dir, 'visits.csv', company)], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(byId().get(10816704)).toMatchObject({ customer: 'Smith, Jones & Co', obs: 'Gate code 4411\nDog in the garden', priority: '5' });
    expect(byId().get(10816705)).toMatchObject({ customer: 'Café Lumière', emailMandatory: true, time_windows: [{ earliest: 30600, latest: 64800 }] });

    r = await ljit(['visits', 'import', example(dir, 'excel-semicolon.csv', company), '--map', 'ERP Number=id,Notes=obs', '--company-id', company, '-o', 'json'], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rowsRead: 3, updated: 3 });
    expect(byId().get(10816703)).toMatchObject({ obs: 'Ring the bell twice\r\nThen wait' });
    expect(byId().get(10816705)).toMatchObject({ obs: 'Entrée côté cour', time_windows: [{ earliest: 30600, latest: 64800 }] });

    r = await ljit(['visits', 'import', example(dir, 'visits-no-lines.csv', company), '--lines', example(dir, 'lines.csv', company)], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(byId().get(10816703)?.lines).toEqual([
      { actionItem: true, description: 'Boiler service', qty: 1, serialNr: 'BX-2231' },
      { actionItem: false, description: 'Filter cartridge', qty: 2 },
    ]);

    r = await ljit(['visits', 'import', example(dir, 'visits.json', company), '--dry-run'], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/would update\s+1\n/);
    expect(r.stderr).toMatch(/unchanged\s+1\n/);
    r = await ljit(['visits', 'import', example(dir, 'visits.json', company)], { sandbox: sb, key: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(byId().get(10816705)?.time_windows).toEqual([{ earliest: 30600, latest: 64800 }]);
    expect(sb.visits(KEY)).toHaveLength(3);
  });
});
