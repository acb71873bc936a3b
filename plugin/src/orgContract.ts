/**
 * Is Closeloop's metadata in the org? The fields of the external contract (PRODUCT.md), looked up
 * in the org's describe of Account and Opportunity: two API calls, no project needed. A field the
 * running user cannot see is absent from the describe too, so "missing" means "not deployed, or
 * not visible to this user" and the output says so.
 */
import type { Connection } from '@salesforce/core';

export const CONTRACT_FIELDS = {
  Account: [
    'ERP_Customer_Id__c',
    'Outstanding_Balance__c',
    'Overdue_Balance__c',
    'Credit_Limit__c',
    'Available_Credit__c',
    'Credit_Hold__c',
    'Last_Payment_Date__c',
    'Days_Sales_Outstanding__c',
    'Finance_Synced_At__c',
  ],
  Opportunity: [
    'ERP_Order_Id__c',
    'ERP_Invoice_Number__c',
    'Booking_Status__c',
    'Booking_Error__c',
    'Booked_At__c',
    'Invoice_Status__c',
    'Amount_Invoiced__c',
    'Amount_Paid__c',
  ],
} as const;

export interface ObjectFieldCheck {
  object: string;
  present: string[];
  missing: string[];
}

export interface OrgMetadataCheck {
  /** True when every contract field is there. */
  deployed: boolean;
  objects: ObjectFieldCheck[];
}

export async function checkContractFields(conn: Connection): Promise<OrgMetadataCheck> {
  const objects = await Promise.all(
    Object.entries(CONTRACT_FIELDS).map(async ([object, fields]): Promise<ObjectFieldCheck> => {
      const describe = await conn.describe(object);
      const inOrg = new Set(describe.fields.map((f) => f.name.toLowerCase()));
      return {
        object,
        present: fields.filter((f) => inOrg.has(f.toLowerCase())),
        missing: fields.filter((f) => !inOrg.has(f.toLowerCase())),
      };
    }),
  );
  return { deployed: objects.every((o) => o.missing.length === 0), objects };
}
