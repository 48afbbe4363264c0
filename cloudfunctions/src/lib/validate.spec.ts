import { AppError } from './errors';
import { daySchema, monthSchema } from './schemas';
import { assertSafeKeys, validate } from './validate';

const schema = { type: 'object', properties: { day: daySchema, month: monthSchema }, additionalProperties: false };
const codeOf = (input: object): string | null => {
  try {
    validate(schema, input);
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : 'THREW';
  }
};

describe('calendar formats', () => {
  it('refuses impossible dates and months as INVALID_ARGUMENT', () => {
    for (const day of ['2026-13-45', '2026-02-30', '2026-00-01', '2026-1-1', 'x'])
      expect(codeOf({ day })).toBe('INVALID_ARGUMENT');
    for (const month of ['2026-13', '2026-00', '2026-1']) expect(codeOf({ month })).toBe('INVALID_ARGUMENT');
  });
  it('accepts real ones', () => {
    expect(codeOf({ day: '2028-02-29', month: '2026-12' })).toBeNull();
  });
});

const keySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { categoryId: { type: 'string', format: 'safe-key' } },
};

describe('validate', () => {
  it("refuses a value that would become an unsafe key ('safe-key' format)", () => {
    expect(validate(keySchema, { categoryId: 'cat_coffee' })).toEqual({ categoryId: 'cat_coffee' });
    for (const categoryId of ['__proto__', 'constructor', 'a.b', '$x']) {
      expect(() => validate(keySchema, { categoryId })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('refuses an unsafe key anywhere in the payload instead of silently dropping it', () => {
    const payload = JSON.parse('{"categoryId":"cat_coffee","__proto__":{"polluted":true}}');
    expect(() => validate(keySchema, payload)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const refused = expect.objectContaining({ code: 'INVALID_ARGUMENT', details: ['/a/x.y 不允许的键名'] });
    expect(() => assertSafeKeys({ a: { 'x.y': 1 } })).toThrow(refused);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
