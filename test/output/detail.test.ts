import { describe, expect, it } from 'vitest';
import { renderVisitDetail } from '../../src/output/detail.js';
import { displayWidth } from '../../src/output/text.js';
import { openVisit, referenceVisit } from './fixtures.js';
import { memoryIO } from './helpers.js';

function detail(record: Record<string, unknown>, opts: { columns?: number; env?: Record<string, string>; color?: boolean } = {}) {
  const { io, out } = memoryIO({ tty: true, columns: opts.columns ?? 80 });
  renderVisitDetail(record, { io, color: opts.color ?? false, env: opts.env ?? {} });
  return out();
}

describe('visit detail', () => {
  it('groups the reference record under headings, values as a person reads them', () => {
    expect(detail(referenceVisit)).toBe(`Visit
  _id           yKQhJZ9B7PTT85kWc
  id            10816703
  docType       CALL OUT
  docNo         H-017623
  date          2020-03-31
  serviceOrder  3
  priority      3
  driver        Liam (FEn9BJz93svSNPx7p)
  territory     AB-Aberdeen

Customer & site
  customer  The Green Sleeve
  site      The Green Sleeve
  siteId    30101308
  address   999 West High Street
  postCode  AB51 3QR
  city      INVERURIE
  country   GB
  lat/lng   57, -2

Contact
  contactPerson  John
  contactPhone   01999999999
  signeeName     John
  signeeRating   5

Status
  status        closed
  closed        yes
  skipped       no
  inProgress    no
  confirmClose  yes
  closeDate     2020-03-24 15:45

Schedule
  time_windows      08:30–18:00
  duration          35 min
  required_skills   Hot water technician
  subContractorIds  My Subcontractor

Notes
  Contact Info: The Green Sleeve, John: 01999999999
  AQUARIUS TONE7/3 2001 - Side of the shop
  Access 9am - 5.30pm
  No parking onsite

Other
  totalJobs                            1
  emailMandatory                       yes
  showItemsOnOrderSection              yes
  hideEquipmentDetails                 no
  hideDeliveryItemsSection             no
  useStartPauseStopStyleButtonsInJobs  yes
  inMobileApp                          yes
  NPSMandatory                         yes
  precedencePriorityVisit              no
  closeVisitOnLastJobClose             no
  companyId                            LPeaJNaLQT6RqcFdt
  showDiscountAndBonusOnItemsOnOrder   no
  createdAt                            2020-03-09 15:48:17
  createdUser                          API
  hasChangesToSync                     no
  modifieddAt                          2020-03-24 15:45:38
  modifyUser                           2pjP3L3S8JtZhLPoN
  servicing                            no
  signature                            (28 bytes)
  appClientVersion                     1.7.163
`);
  });

  it('shows lines as a small table, leaving out columns no line fills', () => {
    const text = detail(openVisit);
    expect(text).toContain(`Lines
  ACTION  DESCRIPTION     BRAND     MODEL             SERIAL NR  QTY  JOB TYPE
  yes     Annual service  Rational  iCombi Pro 6-1/1  E11SH2105  1    repair
  no      Descaler tabs                                          2
`);
    expect(text).toContain('  time_windows     08:00–13:00, 15:00–17:30:30\n');
    expect(text).toContain('  required_skills  Gas Safe, Refrigeration | F-gas\n');
  });

  it('wraps notes to the terminal, keeping their line breaks, and sizes signatures instead of printing them', () => {
    const obs = `${'word '.repeat(30)}\r\nsecond line`;
    const text = detail({ _id: 'x', obs, signature: Buffer.alloc(3000).toString('base64'), geocoding: { lat: 1 } }, { columns: 40 });
    const notes = text.slice(text.indexOf('Notes\n'), text.indexOf('\n\nOther'));
    expect(notes.split('\n').slice(1)).toEqual([
      '  word word word word word word word',
      '  word word word word word word word',
      '  word word word word word word word',
      '  word word word word word word word',
      '  word word',
      '  second line',
    ]);
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(text).toContain('  signature  (3000 bytes)\n');
    expect(text).toContain('  geocoding  {"lat":1}\n');
  });

  it('sanitizes every server string, unknown keys included', () => {
    const text = detail({ _id: 'x\x1b[2J', customer: 'Evil\x07 Corp\x1b]0;title\x07', obs: 'a\x1b[31mb', 'weird\x1bkey': 'v\u009b1m' });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('  customer  Evil Corp\n');
  });

  it('colours the status word and bolds headings when colour is on', () => {
    const text = detail(referenceVisit, { env: { FORCE_COLOR: '1' } });
    expect(text).toContain('\x1b[1mVisit\x1b[22m\n');
    expect(text).toContain('  status        \x1b[32mclosed\x1b[39m\n');
    expect(detail(referenceVisit, { color: true, env: { NO_COLOR: '1' } })).not.toContain('\x1b[');
  });
});
