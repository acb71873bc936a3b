/**
 * Query paging. A query's rows are fixed when it runs (as a server-side cursor would); the first
 * page answers `done: false` and `nextRecordsUrl: /services/data/vNN.N/query/01g...-2000`, and each
 * GET of that URL answers the next batch. Only recent cursors are kept, like the real org does.
 */
import { requestError } from './errors';
import { QUERY_LOCATOR_PREFIX, type IdFactory } from './ids';
import type { JsonRecord } from './records';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: JsonRecord[];
}

interface Cursor {
  totalSize: number;
  records: JsonRecord[];
  batchSize: number;
}

/** Each cursor holds its whole result, so keep few (a finished cursor is dropped at once). */
const MAX_OPEN_CURSORS = 50;

export class QueryCursors {
  private readonly open = new Map<string, Cursor>();

  constructor(private readonly ids: IdFactory) {}

  /** The first page of a result; opens a cursor when more pages follow. */
  first(version: string, totalSize: number, records: JsonRecord[], batchSize: number): QueryPage {
    if (records.length <= batchSize) return { totalSize, done: true, records };
    const id = this.ids.next(QUERY_LOCATOR_PREFIX);
    this.open.set(id, { totalSize, records, batchSize });
    if (this.open.size > MAX_OPEN_CURSORS) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
    return this.page(version, id, 0);
  }

  /** GET /query/{locator}, where the locator is `<cursor id>-<offset>`. */
  next(version: string, locator: string): QueryPage {
    const m = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(locator);
    const cursorId = m?.[1];
    if (!cursorId || !this.open.has(cursorId)) {
      throw requestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    return this.page(version, cursorId, Number(m?.[2]));
  }

  clear(): void {
    this.open.clear();
  }

  private page(version: string, cursorId: string, offset: number): QueryPage {
    const cursor = this.open.get(cursorId);
    if (!cursor || offset > cursor.records.length)
      throw requestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const end = offset + cursor.batchSize;
    const records = cursor.records.slice(offset, end);
    if (end >= cursor.records.length) {
      this.open.delete(cursorId);
      return { totalSize: cursor.totalSize, done: true, records };
    }
    return {
      totalSize: cursor.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${end}`,
      records,
    };
  }
}
