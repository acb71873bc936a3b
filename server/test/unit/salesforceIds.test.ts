import { isSalesforceId, salesforceIdSchema, toId18 } from '../../src/salesforce/ids';
import { soqlList, soqlString } from '../../src/salesforce/soql';

describe('Salesforce ids', () => {
  test('15-character ids get their checksum suffix (known pairs)', () => {
    // Pairs as Salesforce itself prints them.
    expect(toId18('001D000000IqhSL')).toBe('001D000000IqhSLIAZ');
    expect(toId18('0063000000abcde')).toBe('0063000000abcdeAAA');
    expect(toId18('001D000000IqhSLIAZ')).toBe('001D000000IqhSLIAZ');
    expect(toId18('001D000000IqhSLiaz')).toBe('001D000000IqhSLIAZ');
  });

  test('anything else is not an id', () => {
    for (const bad of [
      '',
      '001',
      '001D000000IqhSLXXX',
      "006' OR Name != '",
      '006000000000000AA',
      '006-00000000000000',
      '006000000000000AAAA',
    ]) {
      expect(toId18(bad)).toBeNull();
    }
    expect(isSalesforceId('001D000000IqhSL', '006')).toBe(false);
  });

  test('the zod schema names the kind of record', () => {
    const schema = salesforceIdSchema('006', 'Opportunity Id');
    expect(schema.parse('0063000000abcde')).toBe('0063000000abcdeAAA');
    const wrongKind = schema.safeParse('001D000000IqhSL');
    expect(wrongKind.success).toBe(false);
    expect(wrongKind.error?.issues[0]?.message).toBe('must be a Opportunity Id (starting with 006)');
  });
});

describe('SOQL literals', () => {
  test('quotes, backslashes and control characters are escaped', () => {
    expect(soqlString("O'Reilly\\x")).toBe("'O\\'Reilly\\\\x'");
    expect(soqlString('a\nb\tc"d')).toBe("'a\\nb\\tc\\\"d'");
    expect(soqlList(['Not Booked', 'Pending'])).toBe("('Not Booked','Pending')");
    expect(() => soqlList([])).toThrow(RangeError);
  });
});
