// JSON schemas shared by more than one function.
import { RFM_LAYERS } from '../domain/rfm';
import { STAGE_TEXT } from '../domain/lifecycle';

/** A document id chosen by a client: letters, digits, `_`, `-`, and never a key like `constructor`. */
export const safeId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,40}$', format: 'safe-key' } as const;
/** A staff member's OPENID as an operator names it (staff ids, guide ids). */
export const safeOpenid = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', format: 'safe-key' } as const;
/** A client string used as an object key or field-path segment (tag names, template keys, config keys). */
export const safeKey = (maxLength = 60) => ({ type: 'string', minLength: 1, maxLength, format: 'safe-key' }) as const;

const ids = { type: 'array', maxItems: 50, items: safeId } as const;
const tags = { type: 'array', maxItems: 50, items: safeKey(60) } as const;
const time = { type: 'integer', minimum: 0, maximum: 4102444800000 } as const;

/** JSON schema of a segment definition: layers and stages from their allow-lists, every other value a safe key. */
export const segmentDefSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tagsAll: tags,
    tagsAny: tags,
    tagsNone: tags,
    rfmLayers: { type: 'array', maxItems: 8, items: { type: 'string', enum: [...RFM_LAYERS] } },
    stages: { type: 'array', maxItems: 10, items: { type: 'string', enum: Object.keys(STAGE_TEXT) } },
    tierIds: ids,
    storeIds: ids,
    guideIds: { type: 'array', maxItems: 50, items: safeOpenid },
    joinedFrom: time,
    joinedTo: time,
    lastOrderFrom: time,
    lastOrderTo: time,
    minOrders: { type: 'integer', minimum: 0, maximum: 100000 },
    hasPhone: { type: 'boolean' },
  },
} as const;

/** A real calendar day 'YYYY-MM-DD' (validated, not just pattern-matched). */
export const daySchema = { type: 'string', maxLength: 10, format: 'day' } as const;
/** A real calendar month 'YYYY-MM'. */
export const monthSchema = { type: 'string', maxLength: 7, format: 'month' } as const;
