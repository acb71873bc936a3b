/**
 * Sales are `sale.sale` records; the Salesforce Opportunity Id is the sale's `reference`.
 * Creating through RPC runs none of the client's form logic, so addresses, line units, prices and
 * descriptions are all set here explicitly.
 */
import { z } from 'zod';
import type { ConfirmResult, ErpSale, NewSale } from '../connector';
import { BusinessError, TransientError } from '../../errors';
import { Decimal, money } from '../../money';
import { CalendarDate } from './codec';
import { checkQuantity, type Products } from './products';
import { createOne, DecimalField, searchRead, toTrytonId, type Domain } from './records';
import { TrytonUserWarning, type TrytonRpc } from './rpc';
import { toSaleState, TrytonSaleState } from './states';

const SALE_FIELDS = ['reference', 'party', 'state', 'untaxed_amount', 'total_amount', 'currency.code', 'invoices'];

const SaleRow = z.object({
  id: z.number().int(),
  reference: z.string().nullable(),
  party: z.number().int(),
  state: TrytonSaleState,
  untaxed_amount: DecimalField,
  total_amount: DecimalField,
  'currency.': z.object({ code: z.string() }),
  invoices: z.array(z.number().int()),
});
type SaleRow = z.infer<typeof SaleRow>;

const PartyAddresses = z.object({ id: z.number().int(), addresses: z.array(z.number().int()) });
const CurrencyRow = z.object({ id: z.number().int() });

export class Sales {
  private readonly currencyIds = new Map<string, number>();

  constructor(
    private readonly rpc: TrytonRpc,
    private readonly products: Products,
  ) {}

  async findByReference(reference: string): Promise<ErpSale[]> {
    return this.read([
      ['reference', '=', reference],
      ['state', '!=', 'cancelled'],
    ]);
  }

  async get(id: string): Promise<ErpSale> {
    const saleId = toTrytonId(id);
    const [sale] = saleId === null ? [] : await this.read([['id', '=', saleId]]);
    if (!sale) throw new BusinessError('UNKNOWN_SALE', `Tryton has no sale with id ${id}`);
    return sale;
  }

  /** Everything is checked before anything is created; a sale Tryton will not quote is removed. */
  async create(sale: NewSale): Promise<ErpSale> {
    const values = await this.saleValues(sale);
    const id = await createOne(this.rpc, 'sale.sale', values);
    try {
      await this.rpc.model('sale.sale', 'quote', [id]);
    } catch (e) {
      await this.rpc.model('sale.sale', 'delete', [id]).catch(() => undefined);
      throw e;
    }
    return this.get(String(id));
  }

  async confirm(id: string): Promise<ConfirmResult> {
    let sale = await this.get(id);
    if (sale.state === 'cancelled') {
      throw new BusinessError('SALE_CANCELLED', `Sale ${id} is cancelled and cannot be confirmed`);
    }
    if (sale.state === 'draft' || sale.state === 'quotation') {
      if (sale.state === 'draft') await this.rpc.model('sale.sale', 'quote', [Number(sale.id)]);
      try {
        await this.rpc.model('sale.sale', 'confirm', [Number(sale.id)]);
      } catch (e) {
        const reason = creditHoldReason(e);
        if (reason !== null) return { status: 'credit_hold', reason };
        throw e;
      }
      sale = await this.get(id);
    }
    if (lacksInvoice(sale)) sale = await this.process(sale);
    return { status: 'confirmed', sale };
  }

  async cancel(id: string): Promise<void> {
    const sale = await this.get(id);
    if (sale.state === 'cancelled') return;
    if (sale.state !== 'draft' && sale.state !== 'quotation') {
      throw new BusinessError('SALE_NOT_CANCELLABLE', `Sale ${id} is ${sale.state} and can no longer be cancelled`);
    }
    await this.rpc.model('sale.sale', 'cancel', [Number(sale.id)]);
  }

  /**
   * Tryton invoices a confirmed sale in a queued task: when that task fails, `confirm` still
   * answers and the sale stays `confirmed` without invoice. Running `process` directly (Tryton's
   * own re-run button, harmless on a processed sale) either finishes the job or raises the real
   * reason, e.g. a product without accounts.
   */
  private async process(sale: ErpSale): Promise<ErpSale> {
    await this.rpc.model('sale.sale', 'process', [Number(sale.id)]);
    const processed = await this.get(sale.id);
    if (lacksInvoice(processed)) {
      throw new TransientError('ERP_ERROR', `Sale ${sale.id} is ${processed.state} but Tryton made no invoice for it`);
    }
    return processed;
  }

  private async saleValues(sale: NewSale): Promise<Record<string, unknown>> {
    if (sale.lines.length === 0) {
      throw new BusinessError('ERP_VALIDATION', `Sale ${sale.reference} has no lines`);
    }
    const products = await this.products.requireAll(sale.lines.map((l) => l.productCode));
    const lines = sale.lines.map((line) => {
      const product = products.get(line.productCode);
      if (!product) throw new Error(`unreachable: ${line.productCode} was checked`);
      const quantity = checkQuantity(product, line.quantity);
      if (line.unitPrice.currency !== sale.currency) {
        throw new BusinessError(
          'CURRENCY_MISMATCH',
          `Line ${line.productCode} is priced in ${line.unitPrice.currency} but the sale is in ${sale.currency}`,
        );
      }
      return {
        type: 'line',
        product: product.numericId,
        unit: product.unit.id,
        // sale.line.quantity is a Float in Tryton 6.0; checkQuantity made sure the unit holds it.
        quantity: quantity.toNumber(),
        unit_price: new Decimal(line.unitPrice.amount),
        description: line.description,
      };
    });
    const address = await this.customerAddress(sale.customerId);
    return {
      party: address.party,
      invoice_address: address.id,
      shipment_address: address.id,
      currency: await this.currencyId(sale.currency),
      sale_date: parseDate(sale.saleDate),
      reference: sale.reference,
      description: sale.description,
      lines: [['create', lines]],
    };
  }

  /** The customer's main address, used to invoice and ship. */
  private async customerAddress(customerId: string): Promise<{ party: number; id: number }> {
    const partyId = toTrytonId(customerId);
    const [party] =
      partyId === null
        ? []
        : await searchRead(this.rpc, 'party.party', [['id', '=', partyId]], ['addresses'], PartyAddresses);
    if (!party) throw new BusinessError('UNKNOWN_CUSTOMER', `Tryton has no customer with id ${customerId}`);
    const [address] = party.addresses;
    if (address === undefined) {
      throw new BusinessError('ERP_VALIDATION', `Customer ${customerId} has no address in Tryton`);
    }
    return { party: party.id, id: address };
  }

  private async currencyId(code: string): Promise<number> {
    let id = this.currencyIds.get(code);
    if (id === undefined) {
      const [row] = await searchRead(this.rpc, 'currency.currency', [['code', '=', code]], ['id'], CurrencyRow);
      if (!row) throw new BusinessError('UNKNOWN_CURRENCY', `Tryton has no currency ${code}`);
      id = row.id;
      this.currencyIds.set(code, id);
    }
    return id;
  }

  private async read(domain: Domain): Promise<ErpSale[]> {
    const rows = await searchRead(this.rpc, 'sale.sale', domain, SALE_FIELDS, SaleRow);
    return rows.map(toSale);
  }
}

/** Closeloop's sales are invoiced on order: once confirmed, an invoice must exist. */
function lacksInvoice(sale: ErpSale): boolean {
  return (sale.state === 'confirmed' || sale.state === 'processing') && sale.invoiceIds.length === 0;
}

/** Tryton's credit-limit refusal, as a warning (users in the credit group) or an error (others). */
function creditHoldReason(e: unknown): string | null {
  if (e instanceof TrytonUserWarning && e.warningName.startsWith('credit_limit')) return e.message;
  if (e instanceof BusinessError && e.code === 'ERP_VALIDATION' && /credit limit/i.test(e.message)) return e.message;
  return null;
}

function parseDate(iso: string): CalendarDate {
  try {
    return CalendarDate.parse(iso);
  } catch {
    throw new BusinessError('ERP_VALIDATION', `Sale date "${iso}" is not a valid YYYY-MM-DD date`);
  }
}

function toSale(row: SaleRow): ErpSale {
  const currency = row['currency.'].code;
  return {
    id: String(row.id),
    reference: row.reference ?? '',
    customerId: String(row.party),
    state: toSaleState(row.state),
    untaxedAmount: money(row.untaxed_amount, currency),
    totalAmount: money(row.total_amount, currency),
    invoiceIds: [...row.invoices].sort((a, b) => a - b).map(String),
  };
}
