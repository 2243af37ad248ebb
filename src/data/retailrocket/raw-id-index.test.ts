import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdMap } from '../../core/ids.js';
import { RawIdIndex } from './raw-id-index.js';

describe('RawIdIndex and its NumericIdMap', () => {
  it('numbers raw ids by first appearance, small and large', () => {
    const r = new RawIdIndex();
    expect([5, 2 ** 40, 5, 3, 2 ** 40].map((x) => r.add(x))).toEqual([0, 1, 0, 2, 1]);
    expect(r.get(3)).toBe(2);
    expect(r.get(4)).toBe(-1);
    expect(r.get(2 ** 41)).toBe(-1);
  });

  it('behaves exactly like an IdMap built from the same ids, including later adds of any string', () => {
    const idArb = fc.oneof(
      fc.nat({ max: 3000 }).map(String),
      fc.constantFrom('007', 'abc', '', '-1', '1e3', '9007199254740993'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 3000 }), { maxLength: 60 }),
        fc.array(idArb, { maxLength: 30 }),
        (raws, later) => {
          const r = new RawIdIndex();
          raws.forEach((x) => r.add(x));
          const m = r.toIdMap();
          const ref = IdMap.fromIds(raws.map(String));
          expect(m).toBeInstanceOf(IdMap);
          for (const id of later) expect(m.add(id)).toBe(ref.add(id));
          expect(m.size).toBe(ref.size);
          expect(m.ids()).toEqual(ref.ids());
          for (const id of [...later, '1', '2999', 'zzz', '0']) {
            expect(m.index(id)).toBe(ref.index(id));
            expect(m.has(id)).toBe(ref.has(id));
          }
          for (let i = 0; i < ref.size; i++) expect(m.id(i)).toBe(ref.id(i));
          expect(() => m.id(ref.size)).toThrow(RangeError);
        },
      ),
    );
  });
});
