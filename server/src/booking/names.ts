/**
 * Company names compared the way a person would: "Smith & Co. Ltd" and "co smith" are the same
 * key, accents and punctuation do not matter, legal forms are ignored, word order is ignored.
 */
const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'pty',
  'oy',
  'ab',
  'as',
  'kk',
  'the',
  'and',
]);

/** The words of a name, lower-case, without accents, punctuation or legal forms. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\./g, '') // "S.A." is "SA", "Co." is "Co"
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 0 && !LEGAL_FORMS.has(w));
}

/** The deterministic key: the sorted distinct words. */
export function nameKey(name: string): string {
  return [...new Set(nameWords(name))].sort().join(' ');
}

function bigrams(s: string): Map<string, number> {
  const grams = new Map<string, number>();
  const padded = ` ${s} `;
  for (let i = 0; i < padded.length - 1; i++) {
    const g = padded.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  return grams;
}

/** Sørensen–Dice similarity of two names' keys on character bigrams, 0..1. */
export function nameSimilarity(a: string, b: string): number {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka === '' || kb === '') return 0;
  if (ka === kb) return 1;
  const ga = bigrams(ka);
  const gb = bigrams(kb);
  let shared = 0;
  let total = 0;
  for (const [g, n] of ga) {
    shared += Math.min(n, gb.get(g) ?? 0);
    total += n;
  }
  for (const n of gb.values()) total += n;
  return (2 * shared) / total;
}
