/**
 * Text as it is indexed and searched: one spelling for the forms Arabic writers use interchangeably,
 * so a search for any of them finds the others. Applied both when indexing and to the query.
 */
const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ALEF_FORMS = /[\u0622\u0623\u0625\u0671\u0672\u0673]/g; // آ أ إ ٱ and wavy-hamza alefs
const ALEF_MAQSURA = /\u0649/g; // ى
const TAA_MARBUTA = /\u0629/g; // ة
const HAMZA_ON_WAW = /\u0624/g; // ؤ
const HAMZA_ON_YAA = /\u0626/g; // ئ
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;
const PERSIAN_DIGITS = /[\u06F0-\u06F9]/g;
// Zero-width and bidi controls carry no meaning for search but split words.
const INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

export function normaliseForSearch(input: string): string {
  return input
    .normalize('NFKC')
    .replace(INVISIBLES, '')
    .replace(DIACRITICS, '')
    .replace(TATWEEL, '')
    .replace(ALEF_FORMS, '\u0627')
    .replace(ALEF_MAQSURA, '\u064A')
    .replace(TAA_MARBUTA, '\u0647')
    .replace(HAMZA_ON_WAW, '\u0648')
    .replace(HAMZA_ON_YAA, '\u064A')
    .replace(ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(PERSIAN_DIGITS, (d) => String(d.charCodeAt(0) - 0x06f0))
    .toLowerCase();
}
