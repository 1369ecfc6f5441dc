import { meteorId } from './ids.js';
import { chance, intBetween, pick, rngFor, type Rng } from './random.js';
import type { VisitRecord } from './store.js';

/**
 * Realistic demo visits: UK field-service call-outs shaped exactly like the reference's example record
 * (every field, server form: flags as booleans, priority and signeeRating as strings). Everything derives
 * from one seeded generator, so the same random seed always yields the same records.
 */

export interface SeedOptions {
  count: number;
  companyId: string;
  /** Same seed, same company, same options: same records. Omitted: different every run. */
  randomSeed?: string | number | undefined;
  /** Visit dates to spread the records over, in order; default: 2020-03-23 to 2020-04-10 (includes 2020-03-31). */
  dates?: readonly string[] | undefined;
  /** ERP id of the first record; the rest follow consecutively. */
  firstId?: number | undefined;
  /** Lets the caller veto `_id`s already in use. */
  isTaken?: ((id: string) => boolean) | undefined;
}

const TOWNS = [
  { city: 'ABERDEEN', area: 'AB', districts: [10, 11, 15, 24], lat: 57.149, lng: -2.094, territory: 'AB-Aberdeen' },
  { city: 'INVERURIE', area: 'AB', districts: [51], lat: 57.284, lng: -2.374, territory: 'AB-Aberdeen' },
  { city: 'EDINBURGH', area: 'EH', districts: [1, 3, 6, 11], lat: 55.953, lng: -3.189, territory: 'EH-Edinburgh' },
  { city: 'GLASGOW', area: 'G', districts: [1, 2, 3, 12], lat: 55.864, lng: -4.252, territory: 'G-Glasgow' },
  { city: 'NEWCASTLE UPON TYNE', area: 'NE', districts: [1, 2, 4, 6], lat: 54.978, lng: -1.618, territory: 'NE-Newcastle' },
  { city: 'LEEDS', area: 'LS', districts: [1, 2, 6, 11], lat: 53.801, lng: -1.549, territory: 'LS-Leeds' },
  { city: 'MANCHESTER', area: 'M', districts: [1, 2, 4, 15], lat: 53.481, lng: -2.243, territory: 'M-Manchester' },
  { city: 'BIRMINGHAM', area: 'B', districts: [1, 3, 5, 15], lat: 52.486, lng: -1.89, territory: 'B-Birmingham' },
  { city: 'CARDIFF', area: 'CF', districts: [10, 11, 14, 24], lat: 51.481, lng: -3.179, territory: 'CF-Cardiff' },
  { city: 'BRISTOL', area: 'BS', districts: [1, 2, 6, 8], lat: 51.454, lng: -2.588, territory: 'BS-Bristol' },
  { city: 'LONDON', area: 'SE', districts: [1, 5, 11, 16], lat: 51.501, lng: -0.094, territory: 'L-London' },
] as const;
const STREETS = ['High Street', 'West High Street', 'Station Road', 'Main Street', 'Church Street', 'Victoria Road', 'Queen Street', 'King Street', 'Mill Lane', 'George Street', 'Union Street', 'Market Place'];
const CUSTOMERS = ['The Green Sleeve', 'Red Lion', 'Crown & Anchor', 'Blue Bell Café', 'Royal Oak', 'The Coffee House', 'Harbour Fish Bar', 'Northern Bakery', 'Old Mill Hotel', 'Station Bistro', 'The Golden Fleece', 'Castle Dental Practice', 'Riverside Leisure Centre', 'Highland Butchers', "St Mary's Primary School", 'The Thistle Inn'];
const DRIVER_NAMES = ['Liam', 'Olivia', 'Noah', 'Amelia', 'Callum', 'Isla', 'George', 'Morag'];
const CONTACTS = ['John', 'Fiona', 'Hamish', 'Sarah', 'David', 'Emma', 'Rajesh', 'Claire', 'Tom', 'Aileen'];
const DOC_TYPES = [
  { docType: 'CALL OUT', prefix: 'H' },
  { docType: 'SERVICE', prefix: 'S' },
  { docType: 'INSTALLATION', prefix: 'I' },
  { docType: 'DELIVERY', prefix: 'D' },
] as const;
const SKILLS = ['Hot water technician', 'Gas Safe registered', 'Refrigeration', 'Electrical', 'Coffee machines', 'Water treatment'];
const SUBCONTRACTORS = ['My Subcontractor', 'Highland Heating Ltd', 'Tyne Refrigeration'];
const EQUIPMENT: readonly { brand: string; brandId: number; models: readonly (readonly [string, number])[] }[] = [
  { brand: 'AQUARIUS', brandId: 101, models: [['TONE7/3', 5501], ['TONE9', 5502]] },
  { brand: 'Rational', brandId: 102, models: [['iCombi Pro 6-1/1', 6101], ['SelfCookingCenter 101', 6102]] },
  { brand: 'Hobart', brandId: 103, models: [['AM15', 7101], ['FXS-10', 7102]] },
  { brand: 'Foster', brandId: 104, models: [['EP700H', 8101], ['FSL400', 8102]] },
  { brand: 'Marco', brandId: 105, models: [['Ecoboiler T10', 9101], ['FRIIA', 9102]] },
  { brand: 'La Spaziale', brandId: 106, models: [['S40 Suprema', 9501], ['S5 EK', 9502]] },
];
const JOB_TYPES = ['repair', 'service', 'installation', 'inspection'];
const PLACES = ['Side of the shop', 'kitchen', 'bar 2nd floor', 'back of house', 'cellar', 'front counter'];
const PARTS = [
  { description: 'Filter cartridge', itemId: 30011 },
  { description: 'Descaler 5L', itemId: 30024 },
  { description: 'Door seal', itemId: 30102 },
  { description: 'Thermostat', itemId: 30217 },
];
const ACCESS = ['Access 9am - 5.30pm', 'Access from 7am, deliveries entrance at the back', 'Ring the bell at the side door', 'Access 10am - 4pm only'];
const PARKING = ['No parking onsite ', 'Parking in the customer car park', 'Pay and display across the road', 'Loading bay at the rear'];
const TIME_WINDOWS = [
  [{ earliest: 30600, latest: 64800 }],
  [{ earliest: 28800, latest: 46800 }, { earliest: 54000, latest: 61200 }],
  [{ earliest: 32400, latest: 61200 }],
  [{ earliest: 25200, latest: 43200 }],
];
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const APP_VERSIONS = ['1.7.160', '1.7.163', '1.8.2'];
/** A JPEG header in base64: the real service stores the signature image inline. */
const SIGNATURE = '/9j/4AAQSkZJRgABAQEAAAAAAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** YYYY-MM-DD shifted by whole days, in UTC arithmetic so the result does not depend on the time zone. */
export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function clock(seconds: number, withSeconds: boolean): string {
  const hms = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}`;
  return withSeconds ? `${hms}:${pad(seconds % 60)}` : hms;
}

export const DEFAULT_SEED_DATES: readonly string[] = Array.from({ length: 19 }, (_, i) => shiftDate('2020-03-23', i));

export function seedVisits(opts: SeedOptions): VisitRecord[] {
  const rng = rngFor(opts.randomSeed, `visits:${opts.companyId}`);
  const dates = opts.dates && opts.dates.length > 0 ? opts.dates : DEFAULT_SEED_DATES;
  const firstId = opts.firstId ?? 10816703;
  const taken = new Set<string>();
  const newId = () => {
    let id = meteorId(rng);
    while (taken.has(id) || opts.isTaken?.(id) === true) id = meteorId(rng);
    taken.add(id);
    return id;
  };
  const drivers = DRIVER_NAMES.map((name) => ({ id: newId(), name }));
  const officeUser = newId();
  const out: VisitRecord[] = [];
  for (let i = 0; i < opts.count; i++) {
    // Records come in date blocks, as a daily ERP export would insert them.
    const date = dates[Math.floor((i * dates.length) / opts.count)] ?? dates[0] ?? '2020-03-31';
    out.push(visit(rng, { _id: newId(), id: firstId + i, date, companyId: opts.companyId, driver: pick(rng, drivers), officeUser }));
  }
  return out;
}

interface VisitBasics {
  _id: string;
  id: number;
  date: string;
  companyId: string;
  driver: { id: string; name: string };
  officeUser: string;
}

function visit(rng: Rng, b: VisitBasics): VisitRecord {
  const town = pick(rng, TOWNS);
  const customer = pick(rng, CUSTOMERS);
  const doc = pick(rng, DOC_TYPES);
  const contact = pick(rng, CONTACTS);
  const phone = chance(rng, 0.6) ? `01${intBetween(rng, 100000000, 999999999)}` : `07${intBetween(rng, 100000000, 999999999)}`;
  const postCode = `${town.area}${pick(rng, town.districts)} ${intBetween(rng, 1, 9)}${pick(rng, [...INWARD_LETTERS])}${pick(rng, [...INWARD_LETTERS])}`;
  const lines = makeLines(rng, b.id);
  const jobs = lines.filter((l) => l.actionItem === true).length;
  const firstJob = lines[0] ?? {};
  const obs = `Contact Info: ${customer}, ${contact}: ${phone} \r\n ${String(firstJob.brand)} ${String(firstJob.model)} ${intBetween(rng, 2001, 2019)} - ${String(firstJob.location)}\r\n${pick(rng, ACCESS)}\r\n${pick(rng, PARKING)}`;
  const priority = pick(rng, [1, 2, 2, 2, 3, 3, 3, 5]);
  const createdDay = shiftDate(b.date, -intBetween(rng, 1, 21));
  const createdAt = `${createdDay} ${clock(intBetween(rng, 7 * 3600, 18 * 3600), true)}`;

  const roll = rng();
  const status = roll < 0.45 ? 'closed' : roll < 0.57 ? 'inProgress' : roll < 0.7 ? 'skipped' : 'open';
  const closeAt = intBetween(rng, 9 * 3600, 17 * 3600);
  const closed = status === 'closed';
  const touched = status !== 'open';
  const modifieddAt = touched ? `${b.date} ${clock(closeAt + intBetween(rng, 30, 900), true)}` : createdAt;
  const rating = closed ? String(pick(rng, [0, 3, 4, 4, 5, 5, 5])) : '0';
  const email = closed && chance(rng, 0.4) ? `${contact.toLowerCase()}@${customer.toLowerCase().replace(/[^a-z]+/g, '')}.co.uk` : '';

  return {
    _id: b._id,
    driverId: b.driver.id,
    name: b.driver.name,
    date: b.date,
    totalJobs: jobs,
    id: b.id,
    docType: doc.docType,
    docNo: `${doc.prefix}-${pad(intBetween(rng, 1, 999999), 6)}`,
    serviceOrder: intBetween(rng, 1, 12),
    customer,
    siteId: String(intBetween(rng, 30000000, 39999999)),
    lat: round(town.lat + (rng() - 0.5) * 0.06, 6),
    lng: round(town.lng + (rng() - 0.5) * 0.1, 6),
    site: customer,
    address: `${intBetween(rng, 1, 999)} ${pick(rng, STREETS)}`,
    postCode,
    city: town.city,
    obs,
    contactPerson: contact,
    contactPhone: phone,
    emailMandatory: chance(rng, 0.5),
    priority: String(priority),
    showItemsOnOrderSection: chance(rng, 0.7),
    hideEquipmentDetails: chance(rng, 0.2),
    hideDeliveryItemsSection: chance(rng, 0.3),
    signeeName: closed ? contact : '',
    signeeEmail: email,
    subContractorIds: chance(rng, 0.2) ? [pick(rng, SUBCONTRACTORS)] : null,
    territory: town.territory,
    useStartPauseStopStyleButtonsInJobs: chance(rng, 0.6),
    inMobileApp: chance(rng, 0.95),
    NPSMandatory: chance(rng, 0.5),
    precedencePriorityVisit: priority === 1,
    closeVisitOnLastJobClose: chance(rng, 0.3),
    country: 'GB',
    companyId: b.companyId,
    time_windows: pick(rng, TIME_WINDOWS).map((w) => ({ ...w })),
    required_skills: chance(rng, 0.7) ? [pick(rng, SKILLS)] : [],
    allowed_vehicles: chance(rng, 0.1) ? [`VAN-${pad(intBetween(rng, 1, 12))}`] : [],
    confirmClose: closed && chance(rng, 0.8),
    inProgress: status === 'inProgress',
    closed,
    skipped: status === 'skipped',
    geocoding: null,
    showDiscountAndBonusOnItemsOnOrder: chance(rng, 0.15),
    duration: lines.reduce((sum, l) => sum + (l.actionItem === true ? intBetween(rng, 4, 16) * 300 : 0), 0),
    createdAt,
    createdUser: 'API',
    hasChangesToSync: false,
    modifieddAt,
    modifyUser: touched ? b.driver.id : b.officeUser,
    servicing: status === 'inProgress',
    signeeRating: rating,
    signature: closed ? SIGNATURE : '',
    appClientVersion: touched ? pick(rng, APP_VERSIONS) : '',
    closeDate: closed ? `${b.date} ${clock(closeAt, false)}` : '',
    skippedReasonId: status === 'skipped' ? String(intBetween(rng, 1, 6)) : '',
    lines,
  };
}

function makeLines(rng: Rng, visitId: number): VisitRecord[] {
  const lines: VisitRecord[] = [];
  const jobs = intBetween(rng, 1, 3);
  for (let j = 0; j < jobs; j++) {
    const eq = pick(rng, EQUIPMENT);
    const [model, modelId] = pick(rng, eq.models);
    const jobType = pick(rng, JOB_TYPES);
    lines.push({
      actionItem: true,
      allowRebrand: chance(rng, 0.2),
      brand: eq.brand,
      brandId: eq.brandId,
      description: `${jobType[0]?.toUpperCase() ?? ''}${jobType.slice(1)} ${eq.brand} ${model}`,
      extraData: extraData(rng),
      hasBatch: false,
      hasReturn: false,
      id: visitId * 10 + j + 1,
      itemId: 20000 + modelId,
      jobType,
      location: pick(rng, PLACES),
      model,
      modelId,
      qty: 1,
      serialNr: `${eq.brand.slice(0, 2).toUpperCase()}${intBetween(rng, 100000, 999999)}`,
      serialNrId: intBetween(rng, 500000, 999999),
    });
  }
  if (chance(rng, 0.5)) {
    const part = pick(rng, PARTS);
    lines.push({
      actionItem: false,
      allowRebrand: false,
      brand: '',
      description: part.description,
      extraData: [],
      hasBatch: chance(rng, 0.3),
      hasReturn: chance(rng, 0.2),
      id: visitId * 10 + jobs + 1,
      itemId: part.itemId,
      jobType: 'delivery',
      location: '',
      model: '',
      qty: intBetween(rng, 1, 4),
      serialNr: '',
    });
  }
  return lines;
}

function extraData(rng: Rng): VisitRecord[] {
  const fields: VisitRecord[] = [];
  if (chance(rng, 0.7))
    fields.push({ type: 'number', caption: 'Water pressure (bar)', description: 'Read it at the inlet, before the filter', name: 'waterPressure', min: 0, max: 10, step: 0.1 });
  if (chance(rng, 0.5)) fields.push({ type: 'select', caption: 'Condition', name: 'condition', options_values: 'Good | Fair | Poor', options_default: 'Good', required: 'required' });
  if (chance(rng, 0.3)) fields.push({ type: 'text', caption: 'Filter batch', name: 'filterBatch', pattern: '[A-Z0-9-]+' });
  return fields;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
