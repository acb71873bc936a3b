/**
 * What every part of the SOQL evaluator needs, and Salesforce's way of pointing at the culprit:
 *
 *     \nSELECT Id, Foo__c FROM Opportunity\n           ^\nERROR at Row:1:Column:12\nNo such column ...
 */
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import { requestError, type SalesforceError } from '../errors';
import type { Schema } from '../schema';
import type { Store } from '../store';

export interface QueryContext {
  schema: Schema;
  store: Store;
  /** The query text, for error positions. */
  soql: string;
  /** API version of the request (`59.0`), for record URLs. */
  version: string;
  now: Date;
  /** queryAll: deleted records too. */
  includeDeleted: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Row and column (1-based) of the first whole-word occurrence of `token`. */
function locate(soql: string, token: string): { row: number; column: number; line: string } | undefined {
  if (!token) return undefined;
  const re = new RegExp(`(^|[^A-Za-z0-9_.])(${escapeRegExp(token)})(?![A-Za-z0-9_])`, 'i');
  const lines = soql.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = re.exec(line);
    if (m) return { row: i + 1, column: m.index + (m[1]?.length ?? 0) + 1, line };
  }
  return undefined;
}

/** A 400 whose message points at `token` in the query, as Salesforce formats it. */
export function queryError(
  ctx: Pick<QueryContext, 'soql'>,
  errorCode: string,
  token: string,
  message: string,
): SalesforceError {
  const at = locate(ctx.soql, token);
  if (!at) return requestError(400, errorCode, message);
  const caret = `${' '.repeat(at.column - 1)}^`;
  return requestError(400, errorCode, `\n${at.line}\n${caret}\nERROR at Row:${at.row}:Column:${at.column}\n${message}`);
}

/** The culprit token of a parser error (`... but found --> 'SELEC' <--`). */
function offendingToken(message: string): string {
  const found = /found:? (?:--> )?'([^']*)'/.exec(message) ?? /found: (\S+)/.exec(message);
  if (found?.[1]) return found[1];
  const lexed = /->(.)<-/.exec(message);
  return lexed?.[1] ?? '';
}

/** Parses SOQL, turning parser failures into MALFORMED_QUERY. */
export function parseSoql(soql: string): Query {
  try {
    return parseQuery(soql);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const token = offendingToken(message);
    const what = token ? `unexpected token: '${token}'` : 'unexpected end of query';
    throw queryError({ soql }, 'MALFORMED_QUERY', token, what);
  }
}
