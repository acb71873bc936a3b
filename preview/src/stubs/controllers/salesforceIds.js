/** Salesforce record ids as Apex's Id type has them: 15 characters, or 18 with the case-safe suffix. */

const SUFFIX_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The case-safe suffix of a 15-character id: one character per 5, a bit per upper-case letter. */
function caseSafeSuffix(id15) {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_CHARACTERS[bits];
  }
  return suffix;
}

/**
 * String.valueOf(Id.valueOf(value.left(15))): the 18-character id of a 15- or 18-character one
 * (its first 15 characters decide), or null when `value` is not shaped as an id.
 */
export function id18(value) {
  if (typeof value !== 'string' || !ID.test(value)) return null;
  const id15 = value.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

/**
 * The id an Apex `Id` parameter holds: a 15-character id becomes 18 (that is what Apex sends on),
 * an 18-character one stays as written; anything else stays as it is for the caller's checks.
 */
export function apexId(value) {
  return typeof value === 'string' && value.length === 15 && id18(value) ? id18(value) : value;
}
