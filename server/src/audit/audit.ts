/**
 * The audit trail: every booking step and every financial change, with what it was before and
 * after, what set it off (event, poll, manual, replay) and who (the Salesforce user, when known).
 */
import type { Sql } from '../store/db';

export type AuditTrigger = 'event' | 'poll' | 'manual' | 'replay' | 'system';

export interface AuditEntry {
  entityType: 'opportunity' | 'account' | 'erp_customer' | 'erp_sale' | 'erp_invoice' | 'job';
  entityId: string;
  action: string;
  before?: unknown;
  after?: unknown;
  trigger: AuditTrigger;
  actor?: string | null;
  jobId?: number | null;
}

export async function audit(sql: Sql, e: AuditEntry): Promise<void> {
  await sql.query(
    `INSERT INTO audit_log (entity_type, entity_id, action, before, after, trigger, actor, job_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.entityType,
      e.entityId,
      e.action,
      e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after),
      e.trigger,
      e.actor ?? null,
      e.jobId ?? null,
    ],
  );
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'before' | 'after'>> {
  id: number;
  at: Date;
  before: unknown;
  after: unknown;
}

export async function auditTrail(sql: Sql, entityType: string, entityId: string): Promise<AuditRecord[]> {
  const rows = await sql.query<{
    id: number;
    at: Date;
    entity_type: AuditEntry['entityType'];
    entity_id: string;
    action: string;
    before: unknown;
    after: unknown;
    trigger: AuditTrigger;
    actor: string | null;
    job_id: number | null;
  }>('SELECT * FROM audit_log WHERE entity_type = $1 AND entity_id = $2 ORDER BY id', [entityType, entityId]);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    entityType: r.entity_type,
    entityId: r.entity_id,
    action: r.action,
    before: r.before,
    after: r.after,
    trigger: r.trigger,
    actor: r.actor,
    jobId: r.job_id,
  }));
}
