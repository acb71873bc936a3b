/** Tryton's JSON-RPC value encoding, both ways, without ever going through a JS float for money. */
import {
  CalendarDate,
  encodeDate,
  encodeDateTime,
  encodeDecimal,
  encodeValue,
  parseTrytonJson,
  TrytonDateTime,
} from '../../src/erp/tryton/codec';
import { Decimal } from '../../src/money';

describe('Tryton codec', () => {
  test('decimals travel as their exact decimal text', () => {
    expect(encodeDecimal('100.00')).toEqual({ __class__: 'Decimal', decimal: '100.00' });
    expect(encodeDecimal(new Decimal('0.1').plus('0.2'))).toEqual({ __class__: 'Decimal', decimal: '0.3' });
    // Never exponent notation, which Python's Decimal would accept but a reader would not expect.
    expect(encodeDecimal(new Decimal('1e-7')).decimal).toBe('0.0000001');
    expect(encodeDecimal('12345678901234567890.12').decimal).toBe('12345678901234567890.12');
    expect(() => encodeDecimal(new Decimal(NaN))).toThrow(RangeError);
  });

  test('decimals decode into decimal.js values, digits intact', () => {
    const parsed = parseTrytonJson(
      '{"a":{"__class__":"Decimal","decimal":"1559.97"},"b":{"__class__":"Decimal","decimal":"0E-8"},' +
        '"c":{"__class__":"Decimal","decimal":"98765432109876543210.99"}}',
    ) as Record<string, Decimal>;
    expect(parsed.a).toBeInstanceOf(Decimal);
    expect(parsed.a?.toFixed(2)).toBe('1559.97');
    expect(parsed.b?.isZero()).toBe(true);
    expect(parsed.c?.toFixed()).toBe('98765432109876543210.99');
  });

  test('dates both ways', () => {
    expect(encodeDate('2026-11-21')).toEqual({ __class__: 'date', year: 2026, month: 11, day: 21 });
    expect(encodeDate(CalendarDate.parse('2024-02-29'))).toEqual({ __class__: 'date', year: 2024, month: 2, day: 29 });
    expect(parseTrytonJson('{"__class__":"date","year":2027,"month":1,"day":5}')).toBe('2027-01-05');
    expect(() => CalendarDate.parse('2026-02-30')).toThrow(RangeError);
    expect(() => CalendarDate.parse('21/11/2026')).toThrow(RangeError);
  });

  test('datetimes are UTC both ways', () => {
    const json =
      '{"__class__":"datetime","year":2026,"month":3,"day":1,"hour":13,"minute":4,"second":5,"microsecond":678000}';
    const decoded = parseTrytonJson(json);
    expect(decoded).toEqual(new Date('2026-03-01T13:04:05.678Z'));
    expect(encodeValue(decoded)).toEqual(JSON.parse(json));
  });

  test('datetimes keep their microseconds, which change feeds compare exactly', () => {
    const json =
      '{"__class__":"datetime","year":2026,"month":11,"day":22,"hour":0,"minute":50,"second":51,"microsecond":686333}';
    const decoded = parseTrytonJson(json);
    expect(decoded).toBeInstanceOf(TrytonDateTime);
    expect((decoded as TrytonDateTime).epochMicros).toBe(Date.UTC(2026, 10, 22, 0, 50, 51) * 1000 + 686333);
    expect(encodeValue(decoded)).toEqual(JSON.parse(json));
    expect(encodeDateTime(new TrytonDateTime(-1))).toMatchObject({ year: 1969, second: 59, microsecond: 999999 });
  });

  test('nested request values are encoded, everything else is left alone', () => {
    const params = [
      [{ unit_price: new Decimal('19.99'), sale_date: CalendarDate.parse('2026-11-21'), quantity: 3, note: null }],
      { company: 1 },
    ];
    expect(encodeValue(params)).toEqual([
      [
        {
          unit_price: { __class__: 'Decimal', decimal: '19.99' },
          sale_date: { __class__: 'date', year: 2026, month: 11, day: 21 },
          quantity: 3,
          note: null,
        },
      ],
      { company: 1 },
    ]);
  });

  test('unknown tags and plain objects survive decoding', () => {
    expect(parseTrytonJson('{"__class__":"bytes","base64":"aGk="}')).toEqual({ __class__: 'bytes', base64: 'aGk=' });
    expect(parseTrytonJson('{"id":1,"name":"x","list":[1,2]}')).toEqual({ id: 1, name: 'x', list: [1, 2] });
  });
});
