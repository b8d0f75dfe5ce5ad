// Tests for the name-ordered product list behind browsing and short queries.
import { describe, it, expect } from 'vitest';
import { NameOrder } from './name-order';

const idsOf = (names: NameOrder) => [...names.ordered().ids];

describe('NameOrder', () => {
  it('keeps ids in key order, ties by id, through single changes', () => {
    const names = new NameOrder();
    names.set('3', 'saia');
    names.set('1', 'calca');
    names.set('2', 'calca');
    expect(idsOf(names)).toEqual(['1', '2', '3']);
    names.set('3', 'bolsa');
    expect(idsOf(names)).toEqual(['3', '1', '2']);
    names.delete('1');
    expect(idsOf(names)).toEqual(['3', '2']);
    expect(names.keyOf('2')).toBe('calca');
    expect(names.size).toBe(2);
  });

  it('sorts once after a bulk load', () => {
    const names = new NameOrder();
    for (const [id, key] of [['b', 'vestido'], ['a', 'camisa'], ['c', 'bolsa']] as const) names.set(id, key, true);
    names.delete('b');
    expect(idsOf(names)).toEqual(['c', 'a']);
  });

  it('finds where names starting with a prefix begin', () => {
    const names = new NameOrder();
    names.set('1', 'calca jeans');
    names.set('2', 'bolsa');
    names.set('3', 'calcado');
    const { keys } = names.ordered();
    expect(keys[names.startOf('calca')]).toBe('calca jeans');
    expect(names.startOf('zzz')).toBe(3);
  });

  it('restores a saved order, and ignores one that does not fit the keys', () => {
    const keys = new Map([
      ['a', 'camisa'],
      ['b', 'bolsa'],
    ]);
    expect(idsOf(NameOrder.restore(keys, ['b', 'a']))).toEqual(['b', 'a']);
    expect(idsOf(NameOrder.restore(keys, ['a', 'b']))).toEqual(['b', 'a']); // out of order
    expect(idsOf(NameOrder.restore(keys, ['b']))).toEqual(['b', 'a']); // incomplete
    expect(idsOf(NameOrder.restore(keys, ['b', 'x']))).toEqual(['b', 'a']); // unknown id
    expect(idsOf(NameOrder.restore(keys, undefined))).toEqual(['b', 'a']);
  });
});
