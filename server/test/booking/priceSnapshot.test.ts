import { takePriceSnapshot } from '../../src/booking/priceSnapshot';
import { money } from '../../src/money';
import type { OpportunityForBooking } from '../../src/salesforce/opportunities';

function opportunity(
  lines: Array<[string | null, string, string, string | null]>,
  amount: string | null,
): OpportunityForBooking {
  return {
    id: '006000000000001AAA',
    name: 'Deal',
    stageName: 'Closed Won',
    isWon: true,
    amount: amount === null ? null : money(amount, 'EUR'),
    currency: 'EUR',
    closeDate: '2026-11-20',
    bookingStatus: null,
    erpOrderId: null,
    account: null,
    lines: lines.map(([code, quantity, unitPrice, discount], i) => ({
      id: `00k00000000000${i}AAA`,
      productCode: code,
      productName: `Product ${i}`,
      description: null,
      quantity,
      unitPrice: { amount: unitPrice, currency: 'EUR' },
      discountPercent: discount,
      totalPrice: money('0', 'EUR'),
    })),
  };
}

describe('price snapshot', () => {
  test('net unit price = UnitPrice × (1 − Discount/100), line amounts rounded half-up to cents', () => {
    const snap = takePriceSnapshot(
      opportunity(
        [
          ['A', '3', '19.99', null],
          ['B', '7', '9.99', '12.5'],
        ],
        '121.16',
      ),
    );
    expect(snap.lines.map((l) => [l.netUnitPrice.amount, l.amount.amount])).toEqual([
      ['19.99', '59.97'],
      ['8.7413', '61.19'], // 9.99 × 0.875 = 8.74125 → 8.7413 (ERP price digits); × 7 = 61.1891 → 61.19
    ]);
    expect(snap.total).toEqual({ amount: '121.16', currency: 'EUR' });
  });

  test('a total that differs from the Amount fails, showing both figures', () => {
    expect(() => takePriceSnapshot(opportunity([['A', '1', '100', null]], '100.01'))).toThrow(
      "The products add up to EUR 100.00 in the ERP but the opportunity's Amount is EUR 100.01",
    );
  });

  test('no lines, a line without product code, or no Amount are business errors', () => {
    expect(() => takePriceSnapshot(opportunity([], '10'))).toThrow(expect.objectContaining({ code: 'NO_LINE_ITEMS' }));
    expect(() => takePriceSnapshot(opportunity([[null, '1', '10', null]], '10'))).toThrow(/Product 0/);
    expect(() => takePriceSnapshot(opportunity([['A', '1', '10', null]], null))).toThrow(
      expect.objectContaining({ code: 'AMOUNT_MISSING' }),
    );
  });
});
