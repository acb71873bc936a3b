/** The picklist values of PRODUCT.md's contract (force-app's field metadata holds the same). */
export const BOOKING_STATUS = ['Not Booked', 'Pending', 'Booked', 'Failed', 'Credit Hold'] as const;
export type BookingStatus = (typeof BOOKING_STATUS)[number];

export const INVOICE_STATUS = ['Draft', 'Open', 'Partially Paid', 'Paid', 'Overdue', 'Void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUS)[number];
