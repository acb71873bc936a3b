/**
 * Products are `product.product` records found by their code (Salesforce's Product2.ProductCode).
 * In Tryton 6.0 the code is computed from the template's prefix and the product's `suffix_code`.
 */
import { z } from 'zod';
import type { ErpProduct } from '../connector';
import { BusinessError } from '../../errors';
import { Decimal } from '../../money';
import { searchRead } from './records';
import type { TrytonRpc } from './rpc';

const ProductRow = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  'sale_uom.': z.object({
    id: z.number().int(),
    name: z.string(),
    // Float fields: JSON numbers whose shortest text is the value Tryton holds (e.g. 0.01).
    rounding: z.number().positive(),
    digits: z.number().int().nonnegative(),
  }),
});
type ProductRow = z.infer<typeof ProductRow>;

/** A sellable product with the unit it is sold in. */
export interface SaleProduct extends ErpProduct {
  numericId: number;
  unit: { id: number; name: string; rounding: Decimal; digits: number };
}

export class Products {
  constructor(private readonly rpc: TrytonRpc) {}

  /** The sellable products with these codes; unknown codes are simply absent. */
  async findByCodes(codes: string[]): Promise<SaleProduct[]> {
    const unique = [...new Set(codes)];
    if (unique.length === 0) return [];
    const rows = await searchRead(
      this.rpc,
      'product.product',
      [
        ['code', 'in', unique],
        ['salable', '=', true],
      ],
      ['code', 'name', 'sale_uom.name', 'sale_uom.rounding', 'sale_uom.digits'],
      ProductRow,
    );
    return rows.map(toSaleProduct);
  }

  /** Every code must be known; the error names all unknown codes at once. */
  async requireAll(codes: string[]): Promise<Map<string, SaleProduct>> {
    const found = new Map((await this.findByCodes(codes)).map((p) => [p.code, p]));
    const unknown = [...new Set(codes)].filter((code) => !found.has(code));
    if (unknown.length > 0) {
      throw new BusinessError(
        'UNKNOWN_PRODUCT_CODE',
        `No sellable product in Tryton with the code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      );
    }
    return found;
  }
}

/**
 * Checks that the unit can hold the quantity exactly: Tryton would round 1.5 "Unit" (rounding 1)
 * to 2 and bill a different amount, so such a quantity is refused, never rounded.
 */
export function checkQuantity(product: SaleProduct, quantity: string): Decimal {
  let value: Decimal;
  try {
    value = new Decimal(quantity);
  } catch {
    throw new BusinessError('INVALID_QUANTITY', `Quantity "${quantity}" of ${product.code} is not a number`);
  }
  if (!value.isFinite() || value.lte(0)) {
    throw new BusinessError('INVALID_QUANTITY', `Quantity ${quantity} of ${product.code} must be greater than 0`);
  }
  const { unit } = product;
  if (value.decimalPlaces() > unit.digits || !value.mod(unit.rounding).isZero()) {
    throw new BusinessError(
      'INVALID_QUANTITY',
      `Quantity ${quantity} of ${product.code} cannot be sold in the unit "${unit.name}" ` +
        `(steps of ${unit.rounding.toFixed()})`,
    );
  }
  return value;
}

function toSaleProduct(row: ProductRow): SaleProduct {
  const uom = row['sale_uom.'];
  return {
    id: String(row.id),
    numericId: row.id,
    code: row.code,
    name: row.name,
    unit: { id: uom.id, name: uom.name, rounding: new Decimal(String(uom.rounding)), digits: uom.digits },
  };
}
