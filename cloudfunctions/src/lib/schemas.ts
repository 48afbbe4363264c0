// JSON schemas shared by more than one function.

const ids = { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 60 } };
const time = { type: 'integer', minimum: 0, maximum: 4102444800000 };

/** JSON schema of a segment definition. */
export const segmentDefSchema = {
  type: 'object', additionalProperties: false,
  properties: {
    tagsAll: ids, tagsAny: ids, tagsNone: ids, rfmLayers: ids, stages: ids, tierIds: ids, storeIds: ids, guideIds: ids,
    joinedFrom: time, joinedTo: time, lastOrderFrom: time, lastOrderTo: time, minOrders: { type: 'integer', minimum: 0, maximum: 100000 }, hasPhone: { type: 'boolean' },
  },
};
