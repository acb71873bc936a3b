/**
 * sObject Collections (`/composite/sobjects`): create (POST), update (PATCH), upsert by external
 * id (PATCH /{type}/{field}), delete (DELETE ?ids=) and retrieve (GET/POST /{type}), up to 200
 * records of mixed types per call. Results come back in request order; with `allOrNone` one
 * failure rolls everything back and the other records report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 * More than 200 records is refused as a whole (HTTP 400 EXCEEDED_ID_LIMIT), as Salesforce does.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { ParsedWrite } from '../dml';
import { noSuchColumnMessage, recordError, requestError, SalesforceError, type RecordError } from '../errors';
import { normalizeId } from '../ids';
import { recordJson } from '../records';
import type { ObjectDef } from '../schema';
import { findByExternalId } from './sobjects';
import { apiVersion, bodyObject, pathObject, queryParam, type AppContext } from './shared';

const MAX_RECORDS = 200;

const collectionSchema = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});

interface SaveResult {
  id?: string;
  success: boolean;
  errors: RecordError[];
  created?: boolean;
}

/** One record's work: runs inside the collection's transaction, may throw a record error. */
type Job = { id?: string; run: () => SaveResult } | { id?: string; failed: SalesforceError };

const ROLLED_BACK: RecordError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function tooMany(count: number): void {
  if (count > MAX_RECORDS) {
    throw requestError(
      400,
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  }
}

function readCollection(body: Record<string, unknown>): z.infer<typeof collectionSchema> {
  const parsed = collectionSchema.safeParse(body);
  if (!parsed.success)
    throw requestError(
      400,
      'JSON_PARSER_ERROR',
      `Invalid sObject Collections request: ${parsed.error.issues[0]?.message ?? 'bad body'}`,
    );
  tooMany(parsed.data.records.length);
  return parsed.data;
}

/** The object of a collection record (`attributes.type`); unknown or missing types fail the request. */
function recordObject(ctx: AppContext, record: Record<string, unknown>): ObjectDef {
  const attributes = record.attributes;
  const type =
    typeof attributes === 'object' && attributes !== null ? (attributes as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') throw requestError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
  return ctx.org.object(type);
}

/** Runs the jobs in one transaction, honouring allOrNone. */
function execute(ctx: AppContext, jobs: Job[], allOrNone: boolean): SaveResult[] {
  return ctx.org.transaction(() => {
    const results = jobs.map((job): SaveResult => {
      const failure = (e: SalesforceError): SaveResult => ({
        ...(job.id ? { id: job.id } : {}),
        success: false,
        errors: [e.toRecordError()],
      });
      if ('failed' in job) return failure(job.failed);
      try {
        return job.run();
      } catch (e) {
        if (e instanceof SalesforceError && e.scope === 'record') return failure(e);
        throw e;
      }
    });
    const anyFailed = results.some((r) => !r.success);
    if (!allOrNone || !anyFailed) return { result: results, commit: true };
    // A rolled-back insert has no id any more; an update or delete keeps naming its record.
    const rolledBack = results.map((r, i): SaveResult => {
      if (!r.success) return r;
      const id = jobs[i]?.id;
      return { ...(id ? { id } : {}), success: false, errors: [ROLLED_BACK] };
    });
    return { result: rolledBack, commit: false };
  });
}

function createJobs(ctx: AppContext, records: Record<string, unknown>[]): Job[] {
  const parsed = records.map((r) => ctx.org.dml.parse(recordObject(ctx, r), r));
  return parsed.map((p) => ({ run: () => ({ id: ctx.org.dml.insert(p), success: true, errors: [] }) }));
}

function updateJobs(ctx: AppContext, records: Record<string, unknown>[]): Job[] {
  const parsed = records.map((r) => ({
    raw: r.id ?? r.Id,
    write: ctx.org.dml.parse(recordObject(ctx, r), r, ['attributes', 'id', 'Id']),
  }));
  return parsed.map(({ raw, write }): Job => {
    if (typeof raw !== 'string' || raw === '')
      return { failed: recordError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']) };
    const id = normalizeId(raw);
    if (!id || id.slice(0, 3) !== write.object.keyPrefix) {
      return {
        failed: recordError('MALFORMED_ID', `${write.object.label} ID: id value of incorrect type: ${raw}`, ['Id']),
      };
    }
    return { id, run: () => (ctx.org.dml.update(write, id), { id, success: true, errors: [] }) };
  });
}

function upsertJobs(ctx: AppContext, object: ObjectDef, fieldName: string, records: Record<string, unknown>[]): Job[] {
  const field = ctx.org.schema.field(object, fieldName);
  if (!field || !(field.externalId || field.type === 'id')) {
    throw requestError(
      400,
      'INVALID_FIELD',
      `Field name provided, ${fieldName} is not an External ID or indexed field for ${object.name}`,
    );
  }
  const parsed: { value: unknown; write: ParsedWrite }[] = records.map((r) => ({
    value: r[field.name],
    write: ctx.org.dml.parse(object, r),
  }));
  return parsed.map(({ value, write }): Job => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      return { failed: recordError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]) };
    }
    return {
      run: () => {
        const matches = findByExternalId(ctx, object, field, String(value));
        const [first] = matches;
        if (matches.length > 1)
          throw recordError(
            'DUPLICATE_EXTERNAL_ID',
            `${field.name}: more than one record found for external id field`,
            [field.name],
          );
        if (!first) return { id: ctx.org.dml.insert(write), success: true, errors: [], created: true };
        const id = String(first.Id);
        write.values.delete(field.name);
        ctx.org.dml.update(write, id);
        return { id, success: true, errors: [], created: false };
      },
    };
  });
}

function deleteJobs(ctx: AppContext, rawIds: string[]): Job[] {
  return rawIds.map((raw): Job => {
    const id = normalizeId(raw);
    const object = id ? ctx.org.schema.objectForId(id) : undefined;
    if (!id || !object) return { failed: recordError('MALFORMED_ID', `malformed id ${raw}`) };
    return { id, run: () => (ctx.org.dml.delete(object, id), { id, success: true, errors: [] }) };
  });
}

function retrieve(ctx: AppContext, version: string, object: ObjectDef, ids: string[], fieldNames: string[]): unknown[] {
  const fields = fieldNames.map((name) => {
    const f = ctx.org.schema.field(object, name);
    if (!f) throw requestError(400, 'INVALID_FIELD', noSuchColumnMessage(name, object.name));
    return f;
  });
  return ids.map((raw) => {
    const id = normalizeId(raw);
    const row = id ? ctx.org.store.get(object.name, id) : undefined;
    return row && row.IsDeleted !== true ? recordJson(version, object, row, fields) : null;
  });
}

const list = (text: string | undefined): string[] =>
  text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export function compositeRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  router.post('/composite/sobjects', (req, res) => {
    const { allOrNone, records } = readCollection(bodyObject(req));
    res.json(execute(ctx, createJobs(ctx, records), allOrNone === true));
  });

  router.patch('/composite/sobjects', (req, res) => {
    const { allOrNone, records } = readCollection(bodyObject(req));
    res.json(execute(ctx, updateJobs(ctx, records), allOrNone === true));
  });

  router.delete('/composite/sobjects', (req, res) => {
    const ids = list(queryParam(req, 'ids'));
    tooMany(ids.length);
    res.json(execute(ctx, deleteJobs(ctx, ids), queryParam(req, 'allOrNone') === 'true'));
  });

  router.patch('/composite/sobjects/:type/:field', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const { allOrNone, records } = readCollection(bodyObject(req));
    res.json(execute(ctx, upsertJobs(ctx, object, req.params.field ?? '', records), allOrNone === true));
  });

  router.get('/composite/sobjects/:type', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    res.json(retrieve(ctx, apiVersion(req), object, list(queryParam(req, 'ids')), list(queryParam(req, 'fields'))));
  });

  router.post('/composite/sobjects/:type', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const body = z.object({ ids: z.array(z.string()), fields: z.array(z.string()) }).safeParse(bodyObject(req));
    if (!body.success) throw requestError(400, 'JSON_PARSER_ERROR', 'Expected {"ids": [...], "fields": [...]}');
    res.json(retrieve(ctx, apiVersion(req), object, body.data.ids, body.data.fields));
  });

  return router;
}
