import { Messages, SfError } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { deadLetterPage, replayAccepted, type JobView } from '../../api.js';
import { BackendCommand } from '../../backendCommand.js';
import { backendFlags } from '../../backendFlags.js';
import type { BackendClient } from '../../backend.js';
import { formatTime } from '../../statusTables.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.replay');

/** A dead letter as listed: the job's id, what it was for, and why it failed. */
export type DeadLetter = Pick<
  JobView,
  'id' | 'kind' | 'key' | 'opportunityId' | 'attempts' | 'errorClass' | 'lastError' | 'updatedAt'
>;

export interface ReplayResult {
  /** Every dead letter there was before replaying. */
  deadLetters: DeadLetter[];
  /** Jobs put back in the queue (their new state). */
  replayed: Array<{ id: number; status: JobView['status'] }>;
  /** Asked for but not replayed (already replayed by someone else, or no such dead letter). */
  notReplayed: Array<{ id: number; reason: string }>;
}

/** The backend's page limit for dead letters. */
const PAGE = 500;

export default class Replay extends BackendCommand<ReplayResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...backendFlags,
    all: Flags.boolean({ char: 'a', summary: messages.getMessage('flags.all.summary'), exclusive: ['id'] }),
    id: Flags.integer({ summary: messages.getMessage('flags.id.summary'), min: 1, exclusive: ['all'] }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary') }),
  };

  public async run(): Promise<ReplayResult> {
    const { flags } = await this.parse(Replay);
    const { client } = await this.connect(flags);
    const deadLetters = (await listDeadLetters(client)).map(toDeadLetter);
    this.showList(deadLetters);

    const chosen = flags.all ? deadLetters.map((d) => d.id) : flags.id ? [flags.id] : [];
    if (chosen.length === 0) {
      if (deadLetters.length > 0) this.info(messages.getMessage('hint.howToReplay'));
      return { deadLetters, replayed: [], notReplayed: [] };
    }
    if (flags.id && !deadLetters.some((d) => d.id === flags.id)) {
      throw messages.createError('error.NoSuchDeadLetter', [flags.id]);
    }
    if (!flags['no-prompt']) {
      // --json is for scripts: a prompt there would wait for no one, so the choice must be explicit.
      if (this.jsonEnabled()) throw messages.createError('error.PromptInJson');
      const confirmed = await this.confirm({ message: messages.getMessage('prompt.confirm', [chosen.length]) });
      if (!confirmed) {
        this.log(messages.getMessage('cancelled'));
        return { deadLetters, replayed: [], notReplayed: chosen.map((id) => ({ id, reason: 'cancelled' })) };
      }
    }
    return { deadLetters, ...(await this.replay(client, chosen)) };
  }

  private showList(deadLetters: DeadLetter[]): void {
    if (deadLetters.length === 0) {
      this.logSuccess(messages.getMessage('none'));
      return;
    }
    this.table({
      title: messages.getMessage('header.list', [deadLetters.length]),
      data: deadLetters.map((d) => ({
        Id: d.id,
        Job: d.opportunityId ? `${d.kind} ${d.opportunityId}` : d.key,
        Attempts: d.attempts,
        Class: d.errorClass ?? '-',
        Error: d.lastError ?? '-',
        Failed: formatTime(d.updatedAt),
      })),
    });
  }

  private async replay(client: BackendClient, ids: number[]): Promise<Omit<ReplayResult, 'deadLetters'>> {
    const replayed: ReplayResult['replayed'] = [];
    const notReplayed: ReplayResult['notReplayed'] = [];
    for (const id of ids) {
      try {
        const answer = await client.post(`/v1/sync/dead-letters/${id}/replay`, replayAccepted);
        replayed.push({ id, status: answer.body.job.status });
      } catch (e) {
        // Someone else replayed it meanwhile: say so and go on with the others.
        if (!(e instanceof SfError && e.name === 'NOT_FOUND')) throw e;
        notReplayed.push({ id, reason: e.message });
      }
    }
    if (replayed.length > 0) {
      this.logSuccess(messages.getMessage('replayed', [replayed.length, replayed.map((r) => r.id).join(', ')]));
    }
    for (const skipped of notReplayed)
      this.warn(messages.getMessage('warning.NotReplayed', [skipped.id, skipped.reason]));
    return { replayed, notReplayed };
  }
}

async function listDeadLetters(client: BackendClient): Promise<JobView[]> {
  const all: JobView[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = (await client.get(`/v1/sync/dead-letters?limit=${PAGE}&offset=${offset}`, deadLetterPage)).body;
    all.push(...page.items);
    if (page.items.length < PAGE || all.length >= page.total) return all;
  }
}

function toDeadLetter(job: JobView): DeadLetter {
  const { id, kind, key, opportunityId, attempts, errorClass, lastError, updatedAt } = job;
  return { id, kind, key, opportunityId, attempts, errorClass, lastError, updatedAt };
}
