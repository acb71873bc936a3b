import {
  addMoney,
  decimalFromJson,
  equalMoney,
  formatMoney,
  minorUnits,
  money,
  roundToCurrency,
  toJsonNumber,
} from '../../src/money';

describe('money', () => {
  test('ISO 4217 minor units come from the currency', () => {
    expect(minorUnits('USD')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(() => minorUnits('dollars')).toThrow(RangeError);
  });

  test('rounding is half-up to the currency, in one place', () => {
    expect(roundToCurrency('2.345', 'USD').toFixed(2)).toBe('2.35');
    expect(roundToCurrency('-2.345', 'USD').toFixed(2)).toBe('-2.35');
    expect(roundToCurrency('1234.5', 'JPY').toFixed(0)).toBe('1235');
    expect(money('0.1', 'KWD')).toEqual({ amount: '0.100', currency: 'KWD' });
  });

  test('no binary float error: 0.1 + 0.2 is 0.30', () => {
    expect(addMoney(money('0.1', 'EUR'), money('0.2', 'EUR'))).toEqual({ amount: '0.30', currency: 'EUR' });
    expect(equalMoney(money('1', 'USD'), money('1.00', 'USD'))).toBe(true);
    expect(() => addMoney(money('1', 'USD'), money('1', 'EUR'))).toThrow('cannot combine USD and EUR');
  });

  test('JSON numbers from Salesforce keep their decimal text', () => {
    expect(decimalFromJson(JSON.parse('1559.97') as number).toString()).toBe('1559.97');
    expect(decimalFromJson(JSON.parse('9999999999999.99') as number).toString()).toBe('9999999999999.99');
    expect(() => decimalFromJson(JSON.parse('99999999999999.99') as number)).toThrow(RangeError);
    expect(toJsonNumber(money('1559.97', 'USD'))).toBe(1559.97);
    expect(JSON.stringify({ a: toJsonNumber(money('0.30', 'USD')) })).toBe('{"a":0.3}');
    expect(() => toJsonNumber({ amount: '1234567890123456.78', currency: 'USD' })).toThrow(RangeError);
  });

  test('amounts are formatted for people with grouping and the currency code', () => {
    expect(formatMoney(money('1234567.5', 'USD'))).toBe('USD 1,234,567.50');
    expect(formatMoney(money('-5', 'JPY'))).toBe('JPY -5');
  });
});
