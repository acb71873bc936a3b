import { TestContext } from '@salesforce/core/testSetup';
import { stubPrompter, stubSfCommandUx } from '@salesforce/sf-plugins-core';
import Replay from '../../../src/commands/closeloop/replay.js';
import { failureOf, printed, type UxStubs } from '../../support/commandOutput.js';
import { startTestBackend, until, type TestBackend } from '../../support/closeloopBackend.js';

describe('sf closeloop replay', () => {
  const $$ = new TestContext();
  let backend: TestBackend;
  let ux: UxStubs;
  let prompter: ReturnType<typeof stubPrompter>;
  let flags: string[];

  beforeAll(async () => {
    backend = await startTestBackend();
    await backend.addProduct('CL-SEAT');
  });
  afterAll(async () => {
    await backend.close();
  });
  beforeEach(() => {
    ux = stubSfCommandUx($$.SANDBOX);
    prompter = stubPrompter($$.SANDBOX);
    flags = ['--backend-url', backend.url, '--token', backend.token];
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  const booked = (opportunityId: string) =>
    until(async () => (await backend.bookingStatus(opportunityId)) === 'Booked', `${opportunityId} to be booked`);

  it('with no dead letters, says so', async () => {
    const result = await Replay.run(flags);

    expect(result).toEqual({ deadLetters: [], replayed: [], notReplayed: [] });
    expect(ux.logSuccess.args.flat()).toContain('No dead letters: every job ended or is still being retried.');
    expect(prompter.confirm.called).toBe(false);
  });

  it('lists the dead letters in a table with why they failed, and replays nothing without --id or --all', async () => {
    const { jobId, opportunityId } = await backend.makeDeadLetter('CL-SEAT');

    const result = await Replay.run(flags);

    expect(result.deadLetters).toContainEqual(
      expect.objectContaining({ id: jobId, kind: 'book', opportunityId, attempts: 2, errorClass: expect.any(String) }),
    );
    expect(result.replayed).toEqual([]);
    const table = ux.table.lastCall?.args[0];
    expect(table?.title).toBe(`Dead letters (${result.deadLetters.length})`);
    expect(table?.data).toContainEqual(
      expect.objectContaining({ Id: jobId, Job: `book ${opportunityId}`, Attempts: 2 }),
    );
    expect(printed(ux)).toContain('then replay with --id <Id>, or --all');
    expect(prompter.confirm.called).toBe(false);
  });

  it('--id asks first, then replays that one; the booking then completes', async () => {
    const { jobId, opportunityId } = await backend.makeDeadLetter('CL-SEAT');
    prompter.confirm.resolves(true);

    const result = await Replay.run([...flags, '--id', String(jobId)]);

    expect(prompter.confirm.firstCall.args[0]).toMatchObject({ message: 'Replay 1 dead letter(s) now?' });
    expect(result.replayed).toEqual([{ id: jobId, status: 'queued' }]);
    expect(ux.logSuccess.args.flat().join('\n')).toContain(`Replayed 1 dead letter(s): ${jobId}.`);
    await booked(opportunityId);
  });

  it('answering no replays nothing', async () => {
    const { jobId } = await backend.makeDeadLetter('CL-SEAT');
    prompter.confirm.resolves(false);

    const result = await Replay.run([...flags, '--id', String(jobId)]);

    expect(result.replayed).toEqual([]);
    expect(result.notReplayed).toEqual([{ id: jobId, reason: 'cancelled' }]);
    const after = await Replay.run(flags);
    expect(after.deadLetters.map((d) => d.id)).toContain(jobId);
  });

  it('--all --no-prompt replays every dead letter without a question', async () => {
    const first = await backend.makeDeadLetter('CL-SEAT');
    const second = await backend.makeDeadLetter('CL-SEAT');

    const result = await Replay.run([...flags, '--all', '--no-prompt']);

    expect(prompter.confirm.called).toBe(false);
    expect(result.replayed.map((r) => r.id)).toEqual(expect.arrayContaining([first.jobId, second.jobId]));
    expect(result.replayed).toHaveLength(result.deadLetters.length);
    await booked(first.opportunityId);
    await booked(second.opportunityId);
    expect((await Replay.run(flags)).deadLetters).toEqual([]);
  });

  it('--json without --no-prompt refuses, since no one can answer', async () => {
    const { jobId } = await backend.makeDeadLetter('CL-SEAT');

    const error = await failureOf(Replay.run([...flags, '--id', String(jobId), '--json']));

    expect(error.name).toBe('PromptInJsonError');
    expect(error.actions).toEqual(['Add --no-prompt to replay without a question.']);
    expect(prompter.confirm.called).toBe(false);
    await Replay.run([...flags, '--id', String(jobId), '--no-prompt']);
  });

  it('an id that is not a dead letter is a clear error', async () => {
    const error = await failureOf(Replay.run([...flags, '--id', '999999', '--no-prompt']));

    expect(error.name).toBe('NoSuchDeadLetterError');
    expect(error.message).toBe('There is no dead letter 999999.');
    expect(error.actions?.[0]).toContain('sf closeloop replay');
  });

  it('--all and --id together are refused', async () => {
    const error = await failureOf(Replay.run([...flags, '--all', '--id', '1']));

    expect(error.message).toContain('cannot also be provided when using');
  });
});
