/**
 * `/sobjects`: describeGlobal, describe, and single-record create / read / update / delete /
 * upsert-by-external-id, answering exactly what the REST API answers (201 with a SaveResult,
 * 204 No Content, 404 NOT_FOUND, 300 for an ambiguous external id).
 */
import { Router, type Response } from 'express';
import { describeGlobal, describeObject, objectInfo } from '../describe';
import { noSuchColumnMessage, notFound, requestError } from '../errors';
import { recordJson } from '../records';
import type { FieldDef, ObjectDef, Row } from '../schema';
import { apiVersion, bodyObject, pathId, pathObject, queryParam, versionNumber, type AppContext } from './shared';

function liveRecord(ctx: AppContext, object: ObjectDef, id: string): Row {
  const row = ctx.org.store.get(object.name, id);
  if (!row) throw notFound();
  if (row.IsDeleted === true) throw requestError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return row;
}

function requestedFields(ctx: AppContext, object: ObjectDef, list: string | undefined): FieldDef[] | undefined {
  if (!list) return undefined;
  return list.split(',').map((name) => {
    const f = ctx.org.schema.field(object, name.trim());
    if (!f) throw requestError(400, 'INVALID_FIELD', noSuchColumnMessage(name.trim(), object.name));
    return f;
  });
}

/** An external id field (or Id) usable in `/sobjects/{type}/{field}/{value}`. */
function externalIdField(ctx: AppContext, object: ObjectDef, name: string | undefined): FieldDef {
  const f = ctx.org.schema.field(object, name ?? '');
  if (!f || !(f.externalId || f.type === 'id')) {
    throw requestError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name ?? ''}`,
    );
  }
  return f;
}

/** Live records whose external id equals `value` (text ids compare case-insensitively unless caseSensitive). */
export function findByExternalId(ctx: AppContext, object: ObjectDef, field: FieldDef, value: string): Row[] {
  const matches: Row[] = [];
  const wanted = field.caseSensitive ? value : value.toLowerCase();
  for (const row of ctx.org.store.rows(object.name)) {
    const v = row[field.name];
    if (row.IsDeleted === true || v === null || v === undefined) continue;
    const text = field.caseSensitive ? String(v) : String(v).toLowerCase();
    if (text === wanted) matches.push(row);
  }
  return matches;
}

function ambiguous(res: Response, version: string, object: ObjectDef, rows: Row[]): void {
  res.status(300).json(rows.map((r) => `/services/data/v${version}/sobjects/${object.name}/${String(r.Id)}`));
}

export function sobjectRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });
  const { org } = ctx;

  router.get('/sobjects', (req, res) => {
    res.json(describeGlobal(apiVersion(req), org.schema.objects));
  });

  router.get('/sobjects/:type', (req, res) => {
    res.json(objectInfo(apiVersion(req), pathObject(ctx, req.params.type)));
  });

  router.get('/sobjects/:type/describe', (req, res) => {
    res.json(describeObject(apiVersion(req), pathObject(ctx, req.params.type)));
  });

  router.post('/sobjects/:type', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const parsed = org.dml.parse(object, bodyObject(req));
    const id = org.transaction(() => ({ result: org.dml.insert(parsed), commit: true }));
    res.status(201).json({ id, success: true, errors: [] });
  });

  router.get('/sobjects/:type/:id', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const row = liveRecord(ctx, object, pathId(object, req.params.id));
    res.json(recordJson(apiVersion(req), object, row, requestedFields(ctx, object, queryParam(req, 'fields'))));
  });

  router.patch('/sobjects/:type/:id', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const id = pathId(object, req.params.id);
    liveRecord(ctx, object, id);
    const parsed = org.dml.parse(object, bodyObject(req));
    org.transaction(() => ({ result: org.dml.update(parsed, id), commit: true }));
    res.status(204).end();
  });

  router.delete('/sobjects/:type/:id', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const id = pathId(object, req.params.id);
    liveRecord(ctx, object, id);
    org.transaction(() => ({ result: org.dml.delete(object, id), commit: true }));
    res.status(204).end();
  });

  router.get('/sobjects/:type/:field/:value', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const field = externalIdField(ctx, object, req.params.field);
    const rows = findByExternalId(ctx, object, field, req.params.value ?? '');
    const [only] = rows;
    if (!only) throw notFound();
    if (rows.length > 1) return ambiguous(res, apiVersion(req), object, rows);
    res.json(recordJson(apiVersion(req), object, only, requestedFields(ctx, object, queryParam(req, 'fields'))));
  });

  router.patch('/sobjects/:type/:field/:value', (req, res) => {
    const object = pathObject(ctx, req.params.type);
    const field = externalIdField(ctx, object, req.params.field);
    const value = req.params.value ?? '';
    const rows = findByExternalId(ctx, object, field, value);
    if (rows.length > 1) return ambiguous(res, apiVersion(req), object, rows);
    const body = bodyObject(req);
    const [existing] = rows;
    if (existing) {
      const id = String(existing.Id);
      const parsed = org.dml.parse(object, body);
      org.transaction(() => ({ result: org.dml.update(parsed, id), commit: true }));
      // Since API 46.0 an update through upsert answers 200 with a body; before, 204.
      if (versionNumber(req) >= 46) res.status(200).json({ id, success: true, errors: [], created: false });
      else res.status(204).end();
      return;
    }
    const parsed = org.dml.parse(object, { ...body, [field.name]: value });
    const id = org.transaction(() => ({ result: org.dml.insert(parsed), commit: true }));
    res.status(201).json({ id, success: true, errors: [], created: true });
  });

  return router;
}
