/**
 * Salesforce's BillingCountry is free text ("United States", "USA", "de"); ERPs want ISO 3166
 * alpha-2. Names come from the ICU data in Node (Intl.DisplayNames), plus the usual short forms.
 */
const ALIASES: Record<string, string> = {
  usa: 'US',
  'u s a': 'US',
  'u s': 'US',
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'u k': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'great britain': 'GB',
  uae: 'AE',
  holland: 'NL',
  'south korea': 'KR',
  russia: 'RU',
  'czech republic': 'CZ',
};

/** Regions ICU names that are not countries an address can be in. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB']);

interface CountryIndex {
  codes: Set<string>;
  byName: Map<string, string>;
}
let index: CountryIndex | null = null;

function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

function countryIndex(): CountryIndex {
  if (index) return index;
  const built: CountryIndex = { codes: new Set(), byName: new Map(Object.entries(ALIASES)) };
  const display = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      // Deprecated codes (UK, DD, SU...) canonicalise to another one: they are not ISO 3166.
      if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
      const name = display.of(code);
      if (!name || NOT_COUNTRIES.has(code)) continue;
      built.codes.add(code);
      built.byName.set(normalise(name), code);
    }
  }
  index = built;
  return built;
}

/** ISO 3166 alpha-2 for a country as people type it, or null when unknown. */
export function countryCode(text: string | null | undefined): string | null {
  const trimmed = text?.trim();
  if (!trimmed) return null;
  const { codes, byName } = countryIndex();
  const alias = byName.get(normalise(trimmed));
  if (alias) return alias;
  return codes.has(trimmed.toUpperCase()) ? trimmed.toUpperCase() : null;
}
