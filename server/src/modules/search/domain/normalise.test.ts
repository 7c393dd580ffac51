import { describe, expect, it } from 'vitest';
import { normaliseForSearch } from './normalise.js';

describe('normaliseForSearch', () => {
  it('folds the alef forms with hamza and madda into a bare alef', () => {
    expect(normaliseForSearch('أحمد')).toBe(normaliseForSearch('احمد'));
    expect(normaliseForSearch('إسلام')).toBe('اسلام');
    expect(normaliseForSearch('آمال')).toBe('امال');
  });

  it('treats taa marbuta as haa and alef maqsura as yaa', () => {
    expect(normaliseForSearch('شحنة')).toBe(normaliseForSearch('شحنه'));
    expect(normaliseForSearch('مستشفى')).toBe(normaliseForSearch('مستشفي'));
  });

  it('drops diacritics and tatweel', () => {
    expect(normaliseForSearch('شَحْنَةٌ')).toBe('شحنه');
    expect(normaliseForSearch('شـــحنة')).toBe('شحنه');
  });

  it('turns Arabic-Indic and Persian digits into ASCII so tracking numbers match', () => {
    expect(normaliseForSearch('١٢٣٤٥')).toBe('12345');
    expect(normaliseForSearch('۱۲۳')).toBe('123');
  });

  it('lower-cases Latin text and leaves it otherwise alone', () => {
    expect(normaliseForSearch('Damaged PARCEL')).toBe('damaged parcel');
  });
});
