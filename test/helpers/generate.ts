import { createWriteStream } from 'node:fs';

const CITIES = ['Lisboa', 'Porto', 'Évora', 'Faro', 'Braga'];

/** The fields each generated row sets, as the import will send them (for comparing with the server). */
export function generatedRow(i: number, companyId: string) {
  return {
    id: i,
    driverId: `drv${i % 50}`,
    date: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    docNo: `DOC-${i}`,
    customer: `Customer ${i}`,
    address: `Rua ${i}, ${i % 9}º`,
    city: CITIES[i % 5]!,
    companyId,
    priority: 1 + (i % 10),
    lat: Number((38 + (i % 1000) / 1000).toFixed(3)),
    lng: Number((-9 - (i % 1000) / 1000).toFixed(3)),
    obs: `Ligar antes\nCódigo ${i}`,
  };
}

/** A CSV of `rows` valid visits (ERP ids 1..rows), streamed to `path` so a million rows need no memory. */
export async function writeVisitsCsv(path: string, rows: number, companyId: string): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('id,driverId,date,docNo,customer,address,city,companyId,priority,lat,lng,time_windows,required_skills,emailMandatory,obs\n');
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const r = generatedRow(i, companyId);
    chunk += `${r.id},${r.driverId},${r.date},${r.docNo},${r.customer},"${r.address}",${r.city},${r.companyId},${r.priority},${r.lat},${r.lng},08:30-13:00|14:00-18:00,gas|electric,${i % 2},"${r.obs}"\n`;
    if (i % 5000 === 0) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
}
