import { describe, expect, it } from 'vitest';
import en from './en.json';
import ar from './ar.json';

const keys = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

const arabicLetters = /[\u0600-\u06FF]/;

describe('web catalogs', () => {
  it('has every English key in Arabic and no extra ones', () => {
    expect(keys(ar).sort()).toEqual(keys(en).sort());
  });

  it('has Arabic text, not copied English, for every Arabic string with words in it', () => {
    const flat = (o: object): [string, string][] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? flat(v).map(([kk, vv]) => [`${k}.${kk}`, vv] as [string, string]) : [[k, String(v)]]));
    const untranslated = flat(ar).filter(([, v]) => /[A-Za-z]{3,}/.test(v.replace(/\{\{\w+\}\}/g, '')) && !arabicLetters.test(v));
    expect(untranslated).toEqual([]);
  });
});
