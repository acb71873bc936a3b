/** Sales in the sandbox ERP: quotation → confirmed (with its draft invoice) or cancelled. */
import Decimal from 'decimal.js';
import { BusinessError } from '../../errors';
import { minorUnits, money, roundUnitPrice } from '../../money';
import type { Sql } from '../../store/db';
import type { ConfirmResult, ErpSale, NewSale } from '../connector';
import { creditHoldReason } from './credit';
import { touchCustomer } from './ledger';
import { rowId, SALE_SELECT, toSale, type CustomerRow, type SaleRow } from './rows';

export async function saleRow(sql: Sql, id: string, forUpdate = false): Promise<SaleRow> {
  const key = rowId(id);
  const rows =
    key === null
      ? []
      : await sql.query<SaleRow>(`${SALE_SELECT} WHERE s.id = $1${forUpdate ? ' FOR UPDATE OF s' : ''}`, [key]);
  if (!rows[0]) throw new BusinessError('ERP_NOT_FOUND', `Sale ${id} does not exist.`);
  return rows[0];
}

export async function createSale(tx: Sql, sale: NewSale): Promise<ErpSale> {
  minorUnits(sale.currency); // validates the code
  const customer = await tx.query('SELECT id FROM sandbox_customers WHERE id = $1', [rowId(sale.customerId) ?? 0]);
  if (customer.length === 0) throw new BusinessError('ERP_VALIDATION', `Customer ${sale.customerId} does not exist.`);
  const lines = await priceLines(tx, sale);
  const untaxed = lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO sandbox_sales (reference, customer_id, state, currency, sale_date, description, untaxed)
     VALUES ($1, $2, 'quotation', $3, $4, $5, $6) RETURNING id`,
    [
      sale.reference,
      Number(sale.customerId),
      sale.currency,
      sale.saleDate,
      sale.description,
      money(untaxed, sale.currency).amount,
    ],
  );
  const saleId = (row as { id: number }).id;
  for (const l of lines) {
    await tx.query(
      `INSERT INTO sandbox_sale_lines (sale_id, product_code, description, quantity, unit_price, amount)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [saleId, l.productCode, l.description, l.quantity, l.unitPrice, l.amount],
    );
  }
  return toSale(await saleRow(tx, String(saleId)));
}

/** Validates each line against the catalogue and computes its amount as the ERP would. */
async function priceLines(tx: Sql, sale: NewSale) {
  if (sale.lines.length === 0) throw new BusinessError('ERP_VALIDATION', 'A sale needs at least one line.');
  const codes = [...new Set(sale.lines.map((l) => l.productCode))];
  const products = await tx.query<{ code: string; unit_step: string }>(
    'SELECT code, unit_step FROM sandbox_products WHERE code = ANY ($1::text[]) AND active',
    [codes],
  );
  const stepByCode = new Map(products.map((p) => [p.code, new Decimal(p.unit_step)]));
  const unknown = codes.filter((c) => !stepByCode.has(c));
  if (unknown.length > 0) {
    throw new BusinessError(
      'UNKNOWN_PRODUCT_CODE',
      `Unknown product code${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
    );
  }
  return sale.lines.map((l) => {
    const quantity = new Decimal(l.quantity);
    const step = stepByCode.get(l.productCode) as Decimal;
    if (quantity.lte(0)) throw new BusinessError('ERP_VALIDATION', `Quantity of ${l.productCode} must be positive.`);
    if (!quantity.mod(step).isZero()) {
      throw new BusinessError(
        'ERP_VALIDATION',
        `Quantity ${l.quantity} of ${l.productCode} is not a multiple of its unit (${step.toString()}).`,
      );
    }
    if (l.unitPrice.currency !== sale.currency) {
      throw new BusinessError(
        'ERP_VALIDATION',
        `Line ${l.productCode} is priced in ${l.unitPrice.currency}, the sale in ${sale.currency}.`,
      );
    }
    const unitPrice = roundUnitPrice(l.unitPrice.amount);
    const amount = money(quantity.times(unitPrice), sale.currency).amount;
    return { ...l, quantity: quantity.toString(), unitPrice: unitPrice.toString(), amount };
  });
}

/** Confirms a quotation unless the customer's credit stops it; confirming creates the draft invoice. */
export async function confirmSale(tx: Sql, id: string): Promise<ConfirmResult> {
  const sale = await saleRow(tx, id, true);
  if (sale.state === 'cancelled') throw new BusinessError('ERP_VALIDATION', `Sale ${id} is cancelled.`);
  if (sale.state !== 'quotation' && sale.state !== 'draft') return { status: 'confirmed', sale: toSale(sale) };
  const hold = await creditCheck(tx, sale);
  if (hold) return { status: 'credit_hold', reason: hold };
  await tx.query(`UPDATE sandbox_sales SET state = 'processing' WHERE id = $1`, [sale.id]);
  await tx.query(
    `INSERT INTO sandbox_invoices (sale_id, customer_id, state, currency, untaxed, total, updated_at)
     VALUES ($1, $2, 'draft', $3, $4, $4, clock_timestamp())`,
    [sale.id, sale.customer_id, sale.currency, sale.untaxed],
  );
  await touchCustomer(tx, sale.customer_id);
  return { status: 'confirmed', sale: toSale(await saleRow(tx, id)) };
}

/** Finance's hold, or what the customer owes plus this order against its limit (same currency). */
async function creditCheck(tx: Sql, sale: SaleRow): Promise<string | null> {
  const [customer] = await tx.query<CustomerRow>('SELECT * FROM sandbox_customers WHERE id = $1 FOR UPDATE', [
    sale.customer_id,
  ]);
  if (!customer) return null;
  if (customer.credit_hold)
    return `${customer.name} is on credit hold in the ERP: finance must release the hold first.`;
  if (customer.credit_limit === null) return null;
  const [open] = await tx.query<{ owed: string }>(
    `SELECT COALESCE(sum(total - amount_paid), 0) AS owed FROM sandbox_invoices
      WHERE customer_id = $1 AND currency = $2 AND state IN ('draft', 'posted')`,
    [sale.customer_id, sale.currency],
  );
  return creditHoldReason({
    customerName: customer.name,
    limit: money(customer.credit_limit, sale.currency),
    owed: money(open?.owed ?? 0, sale.currency),
    order: money(sale.untaxed, sale.currency),
  });
}

export async function cancelSale(tx: Sql, id: string): Promise<void> {
  const sale = await saleRow(tx, id, true);
  if (sale.state === 'cancelled') return;
  if (sale.state !== 'quotation' && sale.state !== 'draft') {
    throw new BusinessError('ERP_VALIDATION', `Sale ${id} is confirmed and can no longer be cancelled.`);
  }
  await tx.query(`UPDATE sandbox_sales SET state = 'cancelled' WHERE id = $1`, [sale.id]);
}
