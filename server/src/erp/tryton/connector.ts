/**
 * `ErpConnector` for Tryton 6.0 over JSON-RPC. Each concern lives in its own module
 * (customers, products, sales, invoices, financials); this class only wires them to the interface.
 */
import type {
  ChangePage,
  ConfirmResult,
  ErpCustomerCredit,
  ErpInvoiceDetail,
  ErpPayment,
  ErpConnector,
  ErpCustomer,
  ErpInvoice,
  ErpProduct,
  ErpSale,
  NewCustomer,
  NewSale,
} from '../connector';
import { Customers } from './customers';
import { Financials, type CustomerActivity } from './financials';
import { Invoices } from './invoices';
import { Products } from './products';
import { TrytonRpc, type TrytonConfig, type TrytonRpcOptions } from './rpc';
import { Sales } from './sales';

export type { TrytonConfig } from './rpc';

export class TrytonConnector implements ErpConnector {
  readonly kind = 'tryton';
  private readonly rpc: TrytonRpc;
  private readonly customers: Customers;
  private readonly products: Products;
  private readonly sales: Sales;
  private readonly invoices: Invoices;
  private readonly financials: Financials;

  constructor(options: TrytonRpcOptions) {
    this.rpc = new TrytonRpc(options);
    this.customers = new Customers(this.rpc);
    this.products = new Products(this.rpc);
    this.sales = new Sales(this.rpc, this.products);
    this.invoices = new Invoices(this.rpc);
    this.financials = new Financials(this.rpc);
  }

  /** Asks the ERP every time (no cached answer): login if needed, then one cheap call. */
  async ping(): Promise<void> {
    await this.rpc.call('model.res.user.get_preferences', [true, {}]);
  }

  getCustomer(id: string): Promise<ErpCustomer | null> {
    return this.customers.get(id);
  }

  findCustomersByExternalRef(externalRef: string): Promise<ErpCustomer[]> {
    return this.customers.findByExternalRef(externalRef);
  }

  searchCustomersByName(words: string[], limit: number, match: 'any' | 'all' = 'any'): Promise<ErpCustomer[]> {
    return this.customers.searchByName(words, limit, match);
  }

  createCustomer(customer: NewCustomer): Promise<ErpCustomer> {
    return this.customers.create(customer);
  }

  async findProducts(codes: string[]): Promise<ErpProduct[]> {
    const found = await this.products.findByCodes(codes);
    return found.map(({ id, code, name }) => ({ id, code, name }));
  }

  findSalesByReference(reference: string): Promise<ErpSale[]> {
    return this.sales.findByReference(reference);
  }

  getSale(id: string): Promise<ErpSale> {
    return this.sales.get(id);
  }

  createSale(sale: NewSale): Promise<ErpSale> {
    return this.sales.create(sale);
  }

  confirmSale(id: string): Promise<ConfirmResult> {
    return this.sales.confirm(id);
  }

  cancelSale(id: string): Promise<void> {
    return this.sales.cancel(id);
  }

  getInvoice(id: string): Promise<ErpInvoice> {
    return this.invoices.get(id);
  }

  postInvoice(id: string): Promise<ErpInvoice> {
    return this.invoices.post(id);
  }

  invoicesChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpInvoiceDetail>> {
    return this.financials.invoicesChangedSince(cursor, limit);
  }

  paymentsChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpPayment>> {
    return this.financials.paymentsChangedSince(cursor, limit);
  }

  creditChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpCustomerCredit>> {
    return this.financials.creditChangedSince(cursor, limit);
  }

  customerActivity(customerId: string): Promise<CustomerActivity> {
    return this.financials.customerActivity(customerId);
  }

  close(): Promise<void> {
    return this.rpc.close();
  }
}

export function createTrytonConnector(config: TrytonConfig): TrytonConnector {
  return new TrytonConnector(config);
}
