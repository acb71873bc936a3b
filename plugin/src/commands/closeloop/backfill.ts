import { Messages, SfError } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import {
  linksAnswer,
  sweepResult,
  unmatchedPage,
  type CustomerView,
  type LinkResult,
  type UnmatchedAccount,
} from '../../api.js';
import { BackendCommand } from '../../backendCommand.js';
import { backendFlags } from '../../backendFlags.js';
import type { BackendClient } from '../../backend.js';
import { readBackfillCursor, saveBackfillCursor } from '../../settings.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.backfill');

/** Accounts per listing request (the backend allows up to 200). */
const PAGE = 50;
/** Links per POST /v1/backfill/links (the backend's limit). */
const LINKS_PER_CALL = 200;
/** Sweep calls at most, so a backend that never catches up cannot keep the command forever. */
const MAX_SWEEPS = 1000;
/** How long to wait when a sweep is already running, and how often to try then. */
const BUSY_WAIT_MS = 1000;
const BUSY_TRIES = 60;
/** Suggestions shown per account in the table. */
const SHOWN_SUGGESTIONS = 3;

export interface LinkRequest {
  accountId: string;
  erpCustomerId: string;
}

export interface BackfillResult {
  invoices: { sweeps: number; invoicesPulled: number; paymentsPulled: number; behind: boolean } | null;
  accounts: {
    listed: number;
    /** The listing started after this account id (a resumed run), or null from the start. */
    resumedAfter: string | null;
    withExactMatch: number;
    unmatched: UnmatchedAccount[];
  };
  links: { made: number; rejected: number; results: LinkResult[] };
}

/** `<accountId>=<erpCustomerId>`, the account id 15 or 18 letters and digits starting with 001. */
export function parseLink(input: string): LinkRequest {
  const match = /^\s*([a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?)\s*=\s*(\S.{0,63}?)\s*$/.exec(input);
  if (!match?.[1] || !match[2]) throw messages.createError('error.BadLink', [input]);
  if (!match[1].startsWith('001')) throw messages.createError('error.NotAnAccount', [input, match[1].slice(0, 3)]);
  return { accountId: match[1], erpCustomerId: match[2] };
}

const linkFlag = Flags.custom<LinkRequest>({ parse: (input) => Promise.resolve(parseLink(input)) });

export default class Backfill extends BackendCommand<BackfillResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...backendFlags,
    'accept-exact': Flags.boolean({ summary: messages.getMessage('flags.accept-exact.summary') }),
    link: linkFlag({ char: 'l', multiple: true, summary: messages.getMessage('flags.link.summary') }),
    'skip-invoices': Flags.boolean({ summary: messages.getMessage('flags.skip-invoices.summary') }),
    restart: Flags.boolean({ summary: messages.getMessage('flags.restart.summary') }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary') }),
  };

  public async run(): Promise<BackfillResult> {
    const { flags } = await this.parse(Backfill);
    const chosen = flags.link ?? [];
    const twice = chosen.find((l, i) => chosen.findIndex((o) => o.accountId === l.accountId) !== i);
    if (twice) throw messages.createError('error.LinkTwice', [twice.accountId]);
    if (flags['accept-exact'] && !flags['no-prompt'] && this.jsonEnabled()) {
      // --json is for scripts: a prompt there would wait for no one, so the choice must be explicit.
      throw messages.createError('error.PromptInJson');
    }
    const { client, settings } = await this.connect(flags);

    const invoices = flags['skip-invoices'] ? null : await this.loadInvoices(client);
    const accounts = await this.listAccounts(client, settings.url, flags.restart);

    const links: LinkRequest[] = [...chosen];
    if (flags['accept-exact']) {
      const exact = accounts.unmatched
        .filter((a) => a.match && !chosen.some((c) => c.accountId === a.accountId))
        .map((a) => ({ accountId: a.accountId, erpCustomerId: (a.match as CustomerView).erpCustomerId }));
      if (exact.length === 0) this.info(messages.getMessage('exact.none'));
      else if (
        flags['no-prompt'] ||
        (await this.confirm({ message: messages.getMessage('prompt.confirm', [exact.length]) }))
      )
        links.push(...exact);
      else this.log(messages.getMessage('cancelled'));
    }
    const made = await this.link(client, links);
    if (links.length === 0 && accounts.unmatched.length > 0) this.info(messages.getMessage('hint.howToLink'));
    return { invoices, accounts, links: made };
  }

  /** Financial sweeps until the backend has pulled the ERP's history (it keeps its own cursors). */
  private async loadInvoices(client: BackendClient): Promise<NonNullable<BackfillResult['invoices']>> {
    const totals = { sweeps: 0, invoicesPulled: 0, paymentsPulled: 0, behind: true };
    const status = () => messages.getMessage('invoices.status', [totals.invoicesPulled, totals.paymentsPulled]);
    this.spinner.start(messages.getMessage('invoices.spinner'), status());
    try {
      while (totals.behind && totals.sweeps < MAX_SWEEPS) {
        const sweep = await sweepWhenFree(client);
        totals.sweeps++;
        totals.invoicesPulled += sweep.pulled.invoices ?? 0;
        totals.paymentsPulled += sweep.pulled.payments ?? 0;
        totals.behind = sweep.behind;
        this.spinner.status = status();
      }
    } catch (e) {
      this.spinner.stop('stopped');
      if (e instanceof SfError && e.name === 'SWEEP_RUNNING') throw messages.createError('error.SweepBusy');
      throw e;
    }
    this.spinner.stop(status());
    if (totals.behind) this.warn(messages.getMessage('invoices.behind', [totals.sweeps]));
    else
      this.logSuccess(
        messages.getMessage('invoices.done', [totals.invoicesPulled, totals.paymentsPulled, totals.sweeps]),
      );
    return totals;
  }

  /** Every account with no ERP customer, page by page; the cursor is stored after each page. */
  private async listAccounts(
    client: BackendClient,
    url: string,
    restart: boolean,
  ): Promise<BackfillResult['accounts']> {
    const resumedAfter = restart ? null : await readBackfillCursor(url);
    if (restart) await saveBackfillCursor(url, null);
    if (resumedAfter) this.info(messages.getMessage('accounts.resumed', [resumedAfter]));
    const unmatched: UnmatchedAccount[] = [];
    this.spinner.start(messages.getMessage('accounts.spinner'), '0');
    let after = resumedAfter;
    try {
      for (;;) {
        const query = `limit=${PAGE}${after ? `&after=${after}` : ''}`;
        const page = (await client.get(`/v1/backfill/accounts?${query}`, unmatchedPage)).body;
        unmatched.push(...page.items);
        this.spinner.status = String(unmatched.length);
        // An interrupted run starts again after the last page it saw whole.
        await saveBackfillCursor(url, page.next);
        if (!page.next) break;
        after = page.next;
      }
    } finally {
      this.spinner.stop(String(unmatched.length));
    }
    this.showAccounts(unmatched);
    const withExactMatch = unmatched.filter((a) => a.match).length;
    return { listed: unmatched.length, resumedAfter, withExactMatch, unmatched };
  }

  private showAccounts(accounts: UnmatchedAccount[]): void {
    if (accounts.length === 0) {
      this.logSuccess(messages.getMessage('accounts.none'));
      return;
    }
    this.table({
      title: messages.getMessage('accounts.header', [accounts.length]),
      data: accounts.map((a) => ({
        Account: a.accountId,
        Name: a.name,
        Country: a.country ?? '-',
        'Exact match': a.match ? `${a.match.erpCustomerId} ${a.match.name}` : '-',
        Suggestions:
          a.suggestions
            .slice(0, SHOWN_SUGGESTIONS)
            .map((s) => `${s.erpCustomerId} ${s.name} (${Math.round(s.score * 100)}%)`)
            .join('; ') ||
          a.note ||
          '-',
      })),
    });
  }

  private async link(client: BackendClient, links: LinkRequest[]): Promise<BackfillResult['links']> {
    const results: LinkResult[] = [];
    for (let i = 0; i < links.length; i += LINKS_PER_CALL) {
      const answer = await client.post('/v1/backfill/links', linksAnswer, {
        body: { links: links.slice(i, i + LINKS_PER_CALL) },
      });
      results.push(...answer.body.results);
    }
    const made = results.filter((r) => r.status === 'linked');
    const rejected = results.filter((r) => r.status === 'rejected');
    if (made.length > 0) this.logSuccess(messages.getMessage('links.made', [made.length]));
    for (const r of rejected)
      this.warn(messages.getMessage('links.rejected', [r.accountId, r.erpCustomerId, r.reason ?? 'no reason given']));
    return { made: made.length, rejected: rejected.length, results };
  }
}

/** One sweep; while another is running (409), waits a moment and tries again. */
async function sweepWhenFree(client: BackendClient): Promise<ReturnType<typeof sweepResult.parse>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await client.post('/v1/sync/financials', sweepResult, { timeoutMs: 5 * 60_000 })).body;
    } catch (e) {
      if (!(e instanceof SfError && e.name === 'SWEEP_RUNNING') || attempt >= BUSY_TRIES) throw e;
      await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
    }
  }
}
