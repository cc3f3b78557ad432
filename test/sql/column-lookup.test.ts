import { describe, expect, it } from 'vitest';
import { closestName, editDistance, shortText } from '../../src/sql/column-lookup.js';

describe('column suggestions', () => {
  it('counts insertions, deletions, substitutions and swaps as one edit each', () => {
    expect(editDistance('amount', 'amount')).toBe(0);
    expect(editDistance('amout', 'amount')).toBe(1);
    expect(editDistance('nmae', 'name')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest column only when it is plausibly a typo', () => {
    const columns = ['id', 'name', 'email', 'created_at'];
    expect(closestName('NAME', columns)).toBe('name');
    expect(closestName('emial', columns)).toBe('email');
    expect(closestName('createdat', columns)).toBe('created_at');
    expect(closestName('total', columns)).toBeUndefined();
  });

  it('shortens long input and masks invisible characters', () => {
    expect(shortText('a\u0000b\n')).toBe('a?b?');
    const long = shortText('x'.repeat(500));
    expect(long).toHaveLength(40);
    expect(long.endsWith('...')).toBe(true);
  });
});
