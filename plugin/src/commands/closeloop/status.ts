import { Messages, type Org } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { health, readiness, syncStatus, type Readiness, type SyncStatus } from '../../api.js';
import { BackendCommand } from '../../backendCommand.js';
import { backendFlags } from '../../backendFlags.js';
import { checkContractFields, type OrgMetadataCheck } from '../../orgContract.js';
import { maskToken } from '../../settings.js';
import { lagSeconds, runRows } from '../../statusTables.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.status');

export interface StatusResult {
  backend: {
    url: string;
    /** Masked: all but the last 4 characters. */
    token: string;
    healthy: boolean;
    ready: boolean;
    checks: Readiness['checks'];
  };
  sync: SyncStatus;
  /** Seconds since the last successful financial pull / opportunity read (null: never). */
  freshness: { financialsLagSeconds: number | null; opportunitiesLagSeconds: number | null };
  /** Present with --target-org. */
  org: (OrgMetadataCheck & { username: string; orgId: string; apiVersion: string }) | null;
}

export default class Status extends BackendCommand<StatusResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...backendFlags,
    'target-org': Flags.optionalOrg({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion(),
  };

  public async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const { client, settings } = await this.connect(flags);
    // /healthz first and alone: an unreachable backend fails here, once, with its clear error.
    const alive = await client.get('/healthz', health);
    const [ready, sync] = await Promise.all([
      client.get('/readyz', readiness, { alsoAccept: [503] }),
      client.get('/v1/sync/status', syncStatus),
    ]);
    const org = flags['target-org'] ? await this.checkOrg(flags['target-org'], flags['api-version']) : null;

    const now = Date.now();
    const result: StatusResult = {
      backend: {
        url: settings.url,
        token: maskToken(settings.token),
        healthy: alive.body.status === 'ok',
        ready: ready.body.status === 'ready',
        checks: ready.body.checks,
      },
      sync: sync.body,
      freshness: {
        financialsLagSeconds: lagSeconds(sync.body.financials.lastSuccessAt, now),
        opportunitiesLagSeconds: lagSeconds(sync.body.opportunities.lastSuccessAt, now),
      },
      org,
    };
    this.show(result);
    return result;
  }

  private async checkOrg(org: Org, apiVersion: string | undefined): Promise<NonNullable<StatusResult['org']>> {
    const conn = org.getConnection(apiVersion);
    const check = await checkContractFields(conn);
    return {
      username: conn.getUsername() ?? org.getUsername() ?? '',
      orgId: org.getOrgId(),
      apiVersion: conn.getApiVersion(),
      ...check,
    };
  }

  private show(result: StatusResult): void {
    const { backend, sync } = result;
    const checks = Object.entries(backend.checks)
      .map(([name, c]) => `${name} ${c.ok ? 'ok' : `failing (${c.error ?? 'error'})`}`)
      .join(', ');
    this.styledHeader(messages.getMessage('header.backend'));
    this.table({
      data: [
        { Setting: 'URL', Value: backend.url },
        { Setting: 'Token', Value: backend.token },
        { Setting: 'Health', Value: backend.healthy ? 'ok' : 'not ok' },
        { Setting: 'Ready', Value: `${backend.ready ? 'ready' : 'NOT READY'}: ${checks}` },
        { Setting: 'ERP', Value: sync.erp.kind },
        {
          Setting: 'Salesforce API',
          Value: sync.salesforce.apiUsage
            ? `${sync.salesforce.apiUsage.used} of ${sync.salesforce.apiUsage.limit} calls used today`
            : 'not known yet',
        },
      ],
    });
    this.table({ title: messages.getMessage('header.runs'), data: runRows(sync, result.freshness) });
    this.table({
      title: messages.getMessage('header.queue'),
      data: [
        {
          Queued: sync.queue.queued,
          'Due now': sync.queue.due,
          Running: sync.queue.running,
          Done: sync.queue.done,
          'Dead letters': sync.queue.deadLetters,
          'Rejected by Salesforce': sync.financials.rejectedRecords,
        },
      ],
    });
    if (!backend.ready) this.warn(messages.getMessage('warning.NotReady', [checks]));
    if (sync.queue.deadLetters > 0) this.warn(messages.getMessage('warning.DeadLetters', [sync.queue.deadLetters]));
    if (result.org) this.showOrg(result.org);
  }

  private showOrg(org: NonNullable<StatusResult['org']>): void {
    this.table({
      title: messages.getMessage('header.org', [org.username, org.apiVersion]),
      data: org.objects.map((o) => ({
        Object: o.object,
        'Fields found': `${o.present.length} of ${o.present.length + o.missing.length}`,
        Missing: o.missing.join(', ') || '-',
      })),
    });
    if (org.deployed) this.logSuccess(messages.getMessage('org.deployed'));
    else this.warn(messages.getMessage('warning.NotDeployed', [org.username]));
  }
}
