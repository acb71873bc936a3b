/**
 * Salesforce's error shapes.
 *
 * The REST API answers every failed request with a JSON array `[{"message","errorCode","fields"?}]`
 * and a 4xx status. Inside sObject Collections results the same information is per record as
 * `{"statusCode","message","fields"}`. One error class carries both; `scope` tells whether the
 * error belongs to the whole request (bad JSON, unknown column: nothing is saved) or to one record
 * (validation: the other records of a collection may still be saved).
 */

export interface ErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export type ErrorScope = 'request' | 'record';

export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';

  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    readonly scope: ErrorScope = 'request',
  ) {
    super(message);
  }

  /** The REST body: always an array, as Salesforce sends it. */
  toBody(): ErrorBody[] {
    const body: ErrorBody = { message: this.message, errorCode: this.errorCode };
    if (this.fields.length > 0) body.fields = this.fields;
    return [body];
  }

  /** The entry in a SaveResult's `errors` list. */
  toRecordError(): RecordError {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

/** A per-record (DML) failure: answered with 400 when the request held one record. */
export function recordError(errorCode: string, message: string, fields: string[] = []): SalesforceError {
  return new SalesforceError(400, errorCode, message, fields, 'record');
}

export function requestError(status: number, errorCode: string, message: string): SalesforceError {
  return new SalesforceError(status, errorCode, message);
}

export function notFound(): SalesforceError {
  return requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

export function invalidSession(): SalesforceError {
  return requestError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
}

export function requestLimitExceeded(): SalesforceError {
  return requestError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
}

/** An unknown column in a write body (the DML wording, not the SOQL one). */
export function noSuchColumnOnWrite(field: string, type: string): SalesforceError {
  return requestError(400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${type}`);
}

/** The SOQL wording for an unknown column. */
export function noSuchColumnMessage(field: string, type: string): string {
  return (
    `No such column '${field}' on entity '${type}'. If you are attempting to use a custom field, ` +
    `be sure to append the '__c' after the custom field name. Please reference your WSDL or the ` +
    `describe call for the appropriate names.`
  );
}

export function unsupportedTypeMessage(type: string): string {
  return (
    `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure ` +
    `to append the '__c' after the entity name. Please reference your WSDL or the describe call for ` +
    `the appropriate names.`
  );
}
