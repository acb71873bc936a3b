/**
 * --opportunity: an Opportunity Id, checked before anything is sent — 15 or 18 letters and
 * digits, the 18-character checksum right, the key prefix 006 — and passed on in its 18-character
 * form (the form the backend keys bookings by).
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.sync');

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3 characters that make a 15-character id case-insensitive: one bit per upper-case letter. */
function checksum(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** The 18-character Opportunity Id, or a flag error that says what an Opportunity Id looks like. */
export function toOpportunityId(input: string): string {
  const value = input.trim();
  const invalid = () => messages.createError('error.InvalidOpportunityId', [input]);
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) throw invalid();
  const id18 = value.slice(0, 15) + checksum(value.slice(0, 15));
  if (value.length === 18 && value.slice(15).toUpperCase() !== id18.slice(15)) throw invalid();
  if (!id18.startsWith('006')) throw messages.createError('error.NotAnOpportunity', [input, value.slice(0, 3)]);
  return id18;
}

export const opportunityIdFlag = Flags.custom<string>({
  // oclif's parse contract is async; the check itself is not.
  parse: (input) => Promise.resolve(toOpportunityId(input)),
});
