// Accent- and case-folding plus word splitting, shared by indexing and querying so both sides agree.

/**
 * Letters that Unicode decomposition leaves alone (they are letters of their own, not a base
 * letter plus a mark), mapped to what a shop assistant would type on a plain keyboard.
 */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ŀ: 'l',
  ħ: 'h',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');
const NON_ASCII_RE = /[^ -~\t\n\r]/; // anything outside printable ASCII
const MARKS_RE = /\p{M}+/gu;
const NON_WORD_RE = /[^\p{L}\p{N}]+/u;
/** Joiners inside one word ("T-Shirt", "D'Amico"): the parts are words and so is the joined whole. */
export const JOINERS_RE = /[-‐‑‒–'’ʼ]/;

/**
 * Folds case and accents: "CALÇA" → "calca", "Straße" → "strasse", "Øre" → "ore".
 * NFKD also turns ligatures and full-width digits into plain ones, which pasted text contains.
 */
export function foldText(text: string): string {
  // Most catalog text is plain ASCII, which has nothing to decompose: indexing 100k styles calls this a lot.
  if (!NON_ASCII_RE.test(text)) return text.toLowerCase();
  // Lower-case first: "İ" lower-cases to "i" + combining dot, which the mark strip then removes.
  const lower = text.toLowerCase().normalize('NFKD').replace(MARKS_RE, '');
  return lower.replace(SPECIAL_RE, (ch) => SPECIAL_LETTERS[ch] ?? ch);
}

/** Splits already-folded text into words of letters and digits; punctuation and spaces separate. */
function splitFolded(folded: string): string[] {
  return folded.split(NON_WORD_RE).filter((w) => w.length > 0);
}

/** Words of a query, folded, in typing order: "Calça  Jeans-" → ["calca", "jeans"]. */
export function queryWords(text: string): string[] {
  return splitFolded(foldText(text));
}

/**
 * Words to index for a field value. Besides the parts of a hyphenated or apostrophised word it
 * also emits the joined form, so "T-Shirt" is found by "tshirt" as well as by "t shirt".
 */
export function indexWords(text: string): string[] {
  const out: string[] = [];
  for (const chunk of foldText(text).split(/\s+/)) {
    const parts = splitFolded(chunk);
    out.push(...parts);
    if (parts.length > 1 && JOINERS_RE.test(chunk)) {
      const joined = splitFolded(chunk.replace(new RegExp(JOINERS_RE.source, 'g'), ''));
      for (const j of joined) if (!parts.includes(j)) out.push(j);
    }
  }
  return out;
}

/** Canonical comparable form of a phrase (folded words joined by one space), for equality and order. */
export function phraseKey(text: string): string {
  return queryWords(text).join(' ');
}

/**
 * Memoises a string function for a small vocabulary (brands, colours, sizes, categories) that is
 * folded over and over. The cap only bounds memory should the values turn out not to repeat.
 */
export function memoize<T>(fn: (value: string) => T, cap = 50_000): (value: string) => T {
  const memo = new Map<string, T>();
  return (value) => {
    let out = memo.get(value);
    if (out === undefined) {
      if (memo.size >= cap) memo.clear();
      out = fn(value);
      memo.set(value, out);
    }
    return out;
  };
}
