/**
 * The OpenAPI 3.1 description of the HTTP API, served at /openapi.json. Request bodies are
 * generated from the same zod schemas the routes validate with, so the document cannot drift.
 */
import { z } from 'zod';
import { bookBody } from './routes/opportunities';
import { eventsBody } from './routes/events';

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
      '/openapi.json': {
        get: { security: [], summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
  };
}
