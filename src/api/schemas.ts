import { z } from 'zod';
import { boolFlag, calendarDate, describe, flag, looseNumber, optionalText, requiredText } from './scalars.js';

/**
 * The one source of truth for visit shapes: the client validates with these before sending, the sandbox
 * validates what it receives with the same schemas, and `--fields`/import column mapping read the field
 * lists below. Unknown fields are kept (api-notes.md ruling 10).
 */

const SECONDS_IN_DAY = 86_400;

const stringList = z.array(optionalText, { error: (i) => `must be a list of text (got ${describe(i.input)})` });

export const timeWindowSchema = z
  .object({
    earliest: looseNumber({ int: true, min: 0, max: SECONDS_IN_DAY }),
    latest: looseNumber({ int: true, min: 0, max: SECONDS_IN_DAY }),
  })
  .refine((w) => w.earliest <= w.latest, { error: 'earliest must not be after latest', path: ['latest'] });

export const EXTRA_DATA_TYPES = ['text', 'date', 'number', 'email', 'color', 'range', 'select'] as const;

export const extraDataSchema = z.looseObject({
  type: z.enum(EXTRA_DATA_TYPES, { error: (i) => `must be one of ${EXTRA_DATA_TYPES.join(', ')} (got ${describe(i.input)})` }),
  caption: requiredText,
  name: requiredText,
  description: optionalText.optional(),
  value: z.union([z.string(), z.number()]).optional(),
  required: optionalText.optional(),
  readonly: optionalText.optional(),
  options_values: optionalText.optional(),
  options_default: optionalText.optional(),
  max: looseNumber({ int: true }).optional(),
  min: looseNumber({ int: true }).optional(),
  pattern: optionalText.optional(),
  step: looseNumber().optional(),
});

export const lineSchema = z.looseObject({
  actionItem: boolFlag,
  description: requiredText,
  allowRebrand: boolFlag.optional(),
  brand: optionalText.optional(),
  brandId: looseNumber({ int: true }).optional(),
  extraData: z.array(extraDataSchema).optional(),
  hasBatch: boolFlag.optional(),
  hasReturn: boolFlag.optional(),
  id: looseNumber({ int: true }).optional(),
  itemId: looseNumber({ int: true }).optional(),
  jobType: optionalText.optional(),
  location: optionalText.optional(),
  model: optionalText.optional(),
  modelId: looseNumber({ int: true }).optional(),
  qty: looseNumber({ min: 0 }).optional(),
  serialNr: optionalText.optional(),
  serialNrId: looseNumber({ int: true }).optional(),
});

/** Every field a client may send, each validated on its own; required ones are made required below. */
const visitFields = {
  driverId: requiredText,
  name: optionalText,
  date: calendarDate,
  id: looseNumber({ int: true, min: 0 }),
  docType: optionalText,
  docNo: requiredText,
  serviceOrder: looseNumber({ int: true, min: 0 }),
  customer: requiredText,
  siteId: z.union([z.string(), z.int()], { error: (i) => `must be text or a whole number (got ${describe(i.input)})` }),
  lat: looseNumber({ min: -90, max: 90 }),
  lng: looseNumber({ min: -180, max: 180 }),
  site: optionalText,
  address: requiredText,
  postCode: optionalText,
  city: requiredText,
  obs: optionalText,
  contactPerson: optionalText,
  contactPhone: optionalText,
  emailMandatory: flag,
  priority: looseNumber({ int: true, min: 1, max: 10 }),
  showItemsOnOrderSection: flag,
  hideEquipmentDetails: flag,
  hideDeliveryItemsSection: flag,
  showDiscountAndBonusOnItemsOnOrder: flag,
  signeeName: optionalText,
  signeeEmail: optionalText,
  signeeRating: looseNumber({ int: true, min: 0, max: 5 }),
  subContractorIds: stringList.nullable(),
  territory: optionalText,
  useStartPauseStopStyleButtonsInJobs: flag,
  inMobileApp: flag,
  NPSMandatory: flag,
  precedencePriorityVisit: flag,
  closeVisitOnLastJobClose: flag,
  servicing: flag,
  country: optionalText.regex(/^[A-Za-z]{2}$/, { error: (i) => `must be a 2-letter country code (got ${describe(i.input)})` }),
  companyId: requiredText,
  time_windows: z.array(timeWindowSchema, { error: (i) => `must be a list of time windows (got ${describe(i.input)})` }),
  required_skills: stringList,
  allowed_vehicles: stringList,
  duration: looseNumber({ min: 0 }),
  lines: z.array(lineSchema, { error: (i) => `must be a list of lines (got ${describe(i.input)})` }),
  confirmClose: flag,
  inProgress: flag,
  closed: flag,
  skipped: flag,
  skippedReasonId: z.union([z.string(), z.number()], { error: (i) => `must be text or a number (got ${describe(i.input)})` }),
} as const;

export type VisitFieldName = keyof typeof visitFields;

/** Required on add (the reference's table, api-notes.md). */
export const REQUIRED_FIELDS = ['driverId', 'date', 'id', 'docNo', 'customer', 'address', 'city', 'companyId'] as const;

/** Every field the reference documents for add, in the reference's order. */
export const INPUT_FIELDS = Object.keys(visitFields) as VisitFieldName[];

/** Fields the server writes; a client never sends them, and an update ignores them. */
export const SERVER_FIELDS = [
  '_id',
  'totalJobs',
  'createdAt',
  'createdUser',
  'modifieddAt',
  'modifyUser',
  'hasChangesToSync',
  'closeDate',
  'appClientVersion',
  'signature',
  'geocoding',
] as const;

/** Flags among the visit fields: list filters and table rendering read this. */
export const FLAG_FIELDS = INPUT_FIELDS.filter((k) => visitFields[k] === flag);

type Shape<R extends VisitFieldName> = {
  [K in VisitFieldName]: K extends R ? (typeof visitFields)[K] : z.ZodOptional<(typeof visitFields)[K]>;
};

function shapeWithRequired<R extends VisitFieldName>(required: readonly R[]): Shape<R> {
  const shape = new Map<string, z.ZodType>(
    INPUT_FIELDS.map((k) => [k, (required as readonly string[]).includes(k) ? visitFields[k] : visitFields[k].optional()]),
  );
  return Object.fromEntries(shape) as unknown as Shape<R>;
}

/** One visit in a POST /visits batch. */
export const visitInputSchema = z.looseObject(shapeWithRequired(REQUIRED_FIELDS));

/** The body of PUT /visits/{_id}: any subset of the fields, each validated as on add. */
export const visitPatchSchema = z.looseObject(shapeWithRequired([]));

export type VisitInput = z.output<typeof visitInputSchema>;
export type VisitPatch = z.output<typeof visitPatchSchema>;

/** A record as the server returns it. Only `_id` is relied upon; everything else is kept as sent. */
export const visitSchema = z.looseObject({ _id: z.string() });
export type Visit = z.output<typeof visitSchema> & Record<string, unknown>;

export const listMetaSchema = z.looseObject({
  totalRecords: z.number(),
  returnedRecords: z.number(),
  remainingRecords: z.number(),
  nextStart: z.number(),
});
export type ListMeta = z.output<typeof listMetaSchema>;


export const addErrorSchema = z.looseObject({
  error: z.union([z.number(), z.string()]),
  message: z.string(),
  id: z.unknown().optional(),
  index: z.number().optional(),
});
export type AddError = z.output<typeof addErrorSchema>;

export const addMetaSchema = z.looseObject({
  recordsInserted: z.number(),
  recordsUpdated: z.number(),
  errors: z.array(addErrorSchema).optional(),
});
export type AddMeta = z.output<typeof addMetaSchema>;

export const updateMetaSchema = z.looseObject({ updatedRecords: z.number() });
export const deleteMetaSchema = z.looseObject({ deletedRecords: z.number() });

/** List filters of GET /visits, as query parameters (strings on the wire). */
export const LIST_FILTERS = ['_id', 'id', 'date', 'driverId', 'docNo', 'closed', 'confirmClose', 'inProgress', 'skipped', 'priority'] as const;
export type ListFilterName = (typeof LIST_FILTERS)[number];
export type ListFilters = Partial<Record<ListFilterName, string | number>>;

/** Flatten zod issues into `field: message` lines (paths joined with dots, indexes in brackets). */
export function formatIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join(''),
    // Every schema above words its own messages, "is required" included (zod 4 drops `input` from issues).
    message: issue.message,
  }));
}
