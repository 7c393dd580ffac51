import { describe, expect, it } from 'vitest';
import { StatementNames } from './prepared.js';

describe('StatementNames', () => {
  it('names a statement only once it has been seen often enough, and always the same name', () => {
    const names = new StatementNames(3, 10);
    expect(names.nameFor('select $1')).toBeUndefined();
    expect(names.nameFor('select $1')).toBeUndefined();
    const name = names.nameFor('select $1');
    expect(name).toMatch(/^cd_[0-9a-f]{24}$/);
    expect(names.nameFor('select $1')).toBe(name);
    expect(names.nameFor('select $2')).toBeUndefined();
  });

  it('stops naming new statements at the cap, so one-off texts never pile up on the server', () => {
    const names = new StatementNames(1, 2);
    expect(names.nameFor('a')).toBeDefined();
    expect(names.nameFor('b')).toBeDefined();
    expect(names.nameFor('c')).toBeUndefined();
    expect(names.nameFor('a')).toBeDefined();
    expect(names.size).toBe(2);
  });
});
