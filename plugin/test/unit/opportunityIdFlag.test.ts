import { randomInt } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toOpportunityId } from '../../src/opportunityIdFlag.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const serverIds = path.resolve(fileURLToPath(import.meta.url), '../../../../server/dist/salesforce/ids.js');

describe('toOpportunityId', () => {
  it('gives the 18-character id the backend computes, for 15- and 18-character input', async () => {
    const { toId18 } = (await import(serverIds)) as { toId18(value: string): string | null };
    for (let i = 0; i < 200; i++) {
      const id15 = `006${Array.from({ length: 12 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')}`;
      const id18 = toId18(id15);
      expect(toOpportunityId(id15)).toBe(id18);
      expect(toOpportunityId(id18 ?? '')).toBe(id18);
      expect(toOpportunityId((id18 ?? '').slice(0, 15) + (id18 ?? '').slice(15).toLowerCase())).toBe(id18);
    }
  });

  it('refuses a wrong checksum, a wrong length and another object’s id', () => {
    expect(() => toOpportunityId('006Kj00000B7xAAIAA')).toThrow(/is not an Opportunity Id/);
    expect(() => toOpportunityId('006Kj00000B7xA')).toThrow(/is not an Opportunity Id/);
    expect(() => toOpportunityId('001Kj00000B7xAA')).toThrow(/starts with 001/);
  });
});
