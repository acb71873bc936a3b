/** Tryton's workflow states, and the one place each maps onto the interface's states. */
import { z } from 'zod';
import type { InvoiceState, SaleState } from '../connector';

export const TrytonSaleState = z.enum(['draft', 'quotation', 'confirmed', 'processing', 'done', 'cancelled']);
export type TrytonSaleState = z.infer<typeof TrytonSaleState>;

export const TrytonInvoiceState = z.enum(['draft', 'validated', 'posted', 'paid', 'cancelled']);
export type TrytonInvoiceState = z.infer<typeof TrytonInvoiceState>;

/** Tryton 6.0's sale workflow is the interface's: draft → quotation → confirmed → processing → done. */
export function toSaleState(state: TrytonSaleState): SaleState {
  switch (state) {
    case 'draft':
      return 'draft';
    case 'quotation':
      return 'quotation';
    case 'confirmed':
      return 'confirmed';
    case 'processing':
      return 'processing';
    case 'done':
      return 'done';
    case 'cancelled':
      return 'cancelled';
  }
}

/** Same names in 6.0; spelled out so a Tryton upgrade that adds a state fails to compile here. */
export function toInvoiceState(state: TrytonInvoiceState): InvoiceState {
  switch (state) {
    case 'draft':
      return 'draft';
    case 'validated':
      return 'validated';
    case 'posted':
      return 'posted';
    case 'paid':
      return 'paid';
    case 'cancelled':
      return 'cancelled';
  }
}
