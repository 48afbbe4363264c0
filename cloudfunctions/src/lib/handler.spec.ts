import { action, InputOf } from './handler';
import { validate } from './validate';

const schema = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    n: { type: 'integer', default: 3 },
    tags: { type: 'array', items: { type: 'string' } },
  },
} as const;

describe('action input types', () => {
  it('are the validated input the schema describes (defaults filled, unknown fields dropped)', () => {
    const input: InputOf<typeof schema> = validate(schema as never, { id: 'a', price: 1 });
    expect(input).toEqual({ id: 'a', n: 3 });
    // The compiler holds the handler to the schema: an undeclared field is not on the input.
    // @ts-expect-error `price` is not in the schema
    expect(input.price).toBeUndefined();
  });

  it('type the handler from its schema', async () => {
    const a = action({
      roles: ['consumer'],
      schema,
      async run({ input }) {
        // `n` has a default, so it is always there; `tags` is optional.
        return input.n + (input.tags?.length ?? 0);
      },
    });
    const ctx = { input: { id: 'x', n: 2, tags: ['t'] }, caller: null as never, db: null as never, now: 0, event: {} };
    await expect(a.run(ctx)).resolves.toBe(3);
  });
});
