/**
 * The OpenAPI 3.1 description of the HTTP API, served at /openapi.json. Request bodies are
 * generated from the same zod schemas the routes validate with, so the document cannot drift.
 */
import { z } from 'zod';
import { accountPulseView, opportunityBillingView } from '../financials/views';
import { pulseQuery } from './routes/accounts';
import { billingQuery, bookBody } from './routes/opportunities';
import { eventsBody } from './routes/events';
import { forecastQuery } from '../forecast/periods';
import { linksBody, unmatchedQuery } from './routes/backfill';
import { forecastVsActualView } from '../forecast/view';

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
    },
  },
};
const errors = {
  '400': {
    description: 'Invalid input; `field` names what is wrong',
    content: { 'application/json': { schema: error } },
  },
  '401': { description: 'Missing or invalid bearer token', content: { 'application/json': { schema: error } } },
  '413': { description: 'Body over 100 kB', content: { 'application/json': { schema: error } } },
};
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const inputSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const outputSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' });

/** Query parameters from the zod schema the route validates them with. */
function queryParameters(schema: z.ZodType) {
  const json = inputSchema(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}
const accountId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Salesforce Account Id (15 or 18 characters)',
  schema: { type: 'string', pattern: '^001[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$' },
};
const opportunityId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Salesforce Opportunity Id (15 or 18 characters)',
  schema: { type: 'string', pattern: '^006[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$' },
};

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Closeloop backend',
      version,
      description: 'Books Closed-Won opportunities into the ERP and brings financial status back to Salesforce.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/v1/events': {
        post: {
          summary: 'Events from Salesforce (one, or up to 200 as {"events": [...]}); duplicates are harmless',
          requestBody: { required: true, ...json(inputSchema(eventsBody)) },
          responses: { '202': { description: 'Accepted and queued' }, ...errors },
        },
      },
      '/v1/opportunities/{id}/book': {
        post: {
          summary: 'Book now, or retry a Failed / Credit Hold booking',
          parameters: [opportunityId],
          requestBody: { required: false, ...json(inputSchema(bookBody)) },
          responses: { '202': { description: 'Queued; the job is returned' }, ...errors },
        },
      },
      '/v1/accounts/{id}/pulse': {
        get: {
          summary: "The account's financial pulse: balances, aging, credit, recent invoices and payments",
          description:
            'From the read model. refresh=true pulls this customer live from the ERP first (2 s budget, then the read model answers and says so). 404 when the account has no ERP customer and no booking.',
          parameters: [accountId, ...queryParameters(pulseQuery)],
          responses: {
            '200': { description: 'The pulse', ...json(outputSchema(accountPulseView)) },
            '404': { description: 'Unknown account' },
            ...errors,
          },
        },
      },
      '/v1/opportunities/{id}/billing': {
        get: {
          summary: 'Where the deal stands in the ERP; with accountId and amount, a credit check for an open deal',
          parameters: [opportunityId, ...queryParameters(billingQuery)],
          responses: {
            '200': { description: 'Billing', ...json(outputSchema(opportunityBillingView)) },
            '404': { description: 'Never booked or invoiced' },
            ...errors,
          },
        },
      },
      '/v1/dashboards/forecast-vs-actual': {
        get: {
          summary:
            'Forecast vs actual: pipeline, booked, invoiced, paid, open and overdue by period, owner or lead source',
          description:
            "Deals count in the period of their close date. One group per (key, currency); convert=true converts with the org's stored rates (422 naming the currency when one is missing).",
          parameters: queryParameters(forecastQuery),
          responses: {
            '200': { description: 'The dashboard', ...json(outputSchema(forecastVsActualView)) },
            '422': {
              description: 'convert=true but a rate is missing',
              content: { 'application/json': { schema: error } },
            },
            ...errors,
          },
        },
      },
      '/v1/backfill/accounts': {
        get: {
          summary:
            'Accounts with no ERP customer yet, each with the ERP customer of the same name and country and similar names',
          description:
            "Keyset paging: pass the answer's `next` as `after` to continue (an interrupted backfill resumes).",
          parameters: queryParameters(unmatchedQuery),
          responses: { '200': { description: '{items, next}' }, ...errors },
        },
      },
      '/v1/backfill/links': {
        post: {
          summary:
            'Links a person confirmed: writes ERP_Customer_Id__c on the accounts, then the next sweep brings their figures',
          requestBody: { required: true, ...json(inputSchema(linksBody)) },
          responses: { '200': { description: 'Per link: linked, or rejected with the reason' }, ...errors },
        },
      },
      '/v1/sync/opportunities': {
        post: {
          summary: 'Read the opportunities changed in Salesforce now (for the forecast), and the conversion rates',
          responses: { '200': { description: 'How many were read and removed' }, ...errors },
        },
      },
      '/v1/sync/financials': {
        post: {
          summary: 'Run a financial sweep now (pull from the ERP, push changes to Salesforce)',
          responses: {
            '200': { description: 'What the sweep did' },
            '409': { description: 'A sweep is running' },
            ...errors,
          },
        },
      },
      '/v1/sync/status': {
        get: {
          summary: 'Sync health: last runs, queue depth, dead letters',
          responses: { '200': { description: 'Status' }, ...errors },
        },
      },
      '/v1/sync/dead-letters': {
        get: {
          summary: 'Jobs that failed all their attempts',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
            { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          ],
          responses: { '200': { description: 'A page of dead letters' }, ...errors },
        },
      },
      '/v1/sync/dead-letters/{id}/replay': {
        post: {
          summary: 'Queue a dead letter again with fresh attempts',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '202': { description: 'Queued again' },
            '404': { description: 'No such dead letter' },
            ...errors,
          },
        },
      },
      '/healthz': { get: { security: [], summary: 'Liveness', responses: { '200': { description: 'Alive' } } } },
      '/readyz': {
        get: {
          security: [],
          summary: 'Readiness: store, ERP and Salesforce reachable',
          responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } },
        },
      },
      '/metrics': {
        get: {
          security: [],
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'text/plain; version=0.0.4' } },
        },
      },
      '/openapi.json': {
        get: { security: [], summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
  };
}
