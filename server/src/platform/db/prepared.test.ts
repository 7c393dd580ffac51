import { describe, expect, it } from 'vitest';
import { StatementNames } from './prepared.js';

/** Runs a statement as the client would: ask for a name, then report how long it took. */
function run(names: StatementNames, text: string, ms: number, unnamedMs = ms) {
  const name = names.nameFor(text);
  names.record(text, Boolean(name), name ? ms : unnamedMs);
  return name;
}

describe('StatementNames', () => {
  it('names a quick statement once it has been run often enough, and always the same name', () => {
    const names = new StatementNames(3, 10, 5);
    expect(run(names, 'select $1', 1)).toBeUndefined();
    expect(run(names, 'select $1', 1)).toBeUndefined();
    expect(run(names, 'select $1', 1)).toBeUndefined();
    const name = run(names, 'select $1', 1);
    expect(name).toMatch(/^cd_[0-9a-f]{24}$/);
    expect(run(names, 'select $1', 1)).toBe(name);
    expect(run(names, 'select $2', 1)).toBeUndefined();
  });

  it('leaves slow statements (reports) to be planned on every call', () => {
    const names = new StatementNames(3, 10, 5);
    for (let i = 0; i < 20; i++) expect(run(names, 'select report($1)', 60)).toBeUndefined();
  });

  it('goes back to planning a statement on every call when its prepared plan turns out slower', () => {
    const names = new StatementNames(3, 10, 5);
    for (let i = 0; i < 3; i++) run(names, 'select drill($1)', 3);
    // Its generic plan scans where the custom one probes an index.
    expect(run(names, 'select drill($1)', 40, 3)).toBeDefined();
    for (let i = 0; i < 40; i++) run(names, 'select drill($1)', 40, 3);
    for (let i = 0; i < 20; i++) expect(names.nameFor('select drill($1)')).toBeUndefined();
  });

  it('keeps a statement prepared when everything slows down together (a busy machine), not the statement', () => {
    const names = new StatementNames(3, 10, 5);
    for (let i = 0; i < 3; i++) run(names, 'insert x($1)', 0.5);
    for (let i = 0; i < 60; i++) run(names, 'insert x($1)', 4, 5);
    const given = Array.from({ length: 20 }, () => names.nameFor('insert x($1)'));
    expect(given.filter(Boolean).length).toBe(18);
  });

  it('stops naming new statements at the cap, so one-off texts never pile up on the server', () => {
    const names = new StatementNames(1, 2, 5);
    for (const s of ['a', 'b', 'c']) run(names, s, 1);
    expect(names.nameFor('a')).toBeDefined();
    expect(names.nameFor('b')).toBeDefined();
    expect(names.nameFor('c')).toBeUndefined();
    expect(names.size).toBe(2);
  });
});
