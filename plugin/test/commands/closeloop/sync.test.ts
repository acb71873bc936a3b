import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx, stubSpinner } from '@salesforce/sf-plugins-core';
import Sync, { type BookingSyncResult, type FinancialsSyncResult } from '../../../src/commands/closeloop/sync.js';
import { failureOf, printed, type UxStubs } from '../../support/commandOutput.js';
import { startTestBackend, type TestBackend } from '../../support/closeloopBackend.js';
import { startStubBackend } from '../../support/stubBackend.js';

describe('sf closeloop sync', () => {
  const $$ = new TestContext();
  let backend: TestBackend;
  let ux: UxStubs;
  let spinner: ReturnType<typeof stubSpinner>;
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
    spinner = stubSpinner($$.SANDBOX);
    flags = ['--backend-url', backend.url, '--token', backend.token];
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  describe('--opportunity', () => {
    it('books a won deal and reports the ERP order and invoice', async () => {
      const opportunityId = backend.seedWonDeal('CL-SEAT');

      const result = (await Sync.run([...flags, '--opportunity', opportunityId])) as BookingSyncResult;

      expect(result).toMatchObject({ kind: 'booking', opportunityId, outcome: 'Booked', message: null });
      expect(result.erpOrderId).toEqual(expect.any(String));
      const opportunity = backend.sf.org.get('Opportunity', opportunityId);
      expect(opportunity).toMatchObject({ Booking_Status__c: 'Booked', ERP_Order_Id__c: result.erpOrderId });
      expect(spinner.start.firstCall.args[0]).toBe(`Booking ${opportunityId}`);
      expect(spinner.stop.lastCall.args[0]).toBe('Booked');
      expect(ux.logSuccess.args.flat().join('\n')).toContain(
        `${opportunityId} is booked: ERP order ${result.erpOrderId}, invoice posted`,
      );
      expect(process.exitCode).toBeUndefined();

      // After a financial sweep the read model has the invoice, and a re-run reports its number.
      await Sync.run([...flags, '--financials']);
      const again = (await Sync.run([...flags, '--opportunity', opportunityId])) as BookingSyncResult;
      expect(again).toMatchObject({
        outcome: 'Booked',
        erpOrderId: result.erpOrderId,
        invoiceNumber: opportunity?.ERP_Invoice_Number__c,
      });
      expect(process.exitCode).toBeUndefined();
    });

    it('shows why a booking failed (an unknown product), and exits 1', async () => {
      const opportunityId = backend.seedWonDeal('CL-NO-SUCH-THING');

      const result = (await Sync.run([...flags, '--opportunity', opportunityId])) as BookingSyncResult;

      expect(result.outcome).toBe('Failed');
      expect(result.message).toContain('CL-NO-SUCH-THING');
      expect(result.erpOrderId).toBeNull();
      expect(printed(ux)).toContain(`${opportunityId} is not booked (Failed): ${result.message}`);
      expect(process.exitCode).toBe(1);
    });

    it('a retry after the cause is fixed books the same deal (15-character id accepted)', async () => {
      const opportunityId = backend.seedWonDeal('CL-LATE');
      const first = (await Sync.run([...flags, '--opportunity', opportunityId])) as BookingSyncResult;
      expect(first.outcome).toBe('Failed');
      await backend.addProduct('CL-LATE');

      const retry = (await Sync.run([...flags, '--opportunity', opportunityId.slice(0, 15)])) as BookingSyncResult;

      expect(retry).toMatchObject({ opportunityId, outcome: 'Booked', message: null });
    });

    it('a booking that fails every attempt (ERP down) is reported as a dead letter to replay', async () => {
      const opportunityId = backend.seedWonDeal('CL-SEAT');
      backend.erp.setAvailable(false);
      try {
        const result = (await Sync.run([...flags, '--opportunity', opportunityId])) as BookingSyncResult;

        expect(result.outcome).toBe('dead letter');
        expect(result.deadLetterId).toBe(result.jobId);
        expect(printed(ux)).toContain(`sf closeloop replay --id ${result.jobId}`);
      } finally {
        backend.erp.setAvailable(true);
      }
    });

    it('--wait 0 queues the booking and returns at once', async () => {
      const opportunityId = backend.seedWonDeal('CL-SEAT');

      const result = (await Sync.run([...flags, '--opportunity', opportunityId, '--wait', '0'])) as BookingSyncResult;

      expect(result).toMatchObject({ outcome: 'queued', jobId: expect.any(Number) });
      expect(spinner.start.called).toBe(false);
    });
  });

  describe('bad flags are refused before anything is sent', () => {
    let stub: Awaited<ReturnType<typeof startStubBackend>>;
    beforeAll(async () => {
      stub = await startStubBackend(() => ({ status: 500, body: '{}' }));
    });
    afterAll(async () => {
      await stub.close();
    });

    it.each([
      ['too short', '006abc', 'is not an Opportunity Id: it must be 15 or 18 letters and digits'],
      ['a wrong checksum', '006000000000001AAZ', 'is not an Opportunity Id'],
      ['not an opportunity', '001000000000001AAA', 'it starts with 001, and Opportunity Ids start with 006'],
      ['punctuation', "006000000000001'; --", 'is not an Opportunity Id'],
    ])('an id that is %s', async (_case, id, words) => {
      const error = await failureOf(Sync.run(['--backend-url', stub.url, '--token', 't', '--opportunity', id]));

      expect(error.message).toContain(words);
      expect(printed(ux)).toContain('Opportunity Id');
      expect(stub.requests).toEqual([]);
    });

    it('neither --opportunity nor --financials', async () => {
      const error = await failureOf(Sync.run(['--backend-url', stub.url, '--token', 't']));

      expect(error.message).toContain('Exactly one of the following must be provided: --financials, --opportunity');
      expect(stub.requests).toEqual([]);
    });
  });

  describe('--financials', () => {
    it('runs a sweep and reports what it pulled and pushed', async () => {
      const result = (await Sync.run([...flags, '--financials'])) as FinancialsSyncResult;

      expect(result.kind).toBe('financials');
      expect(result.sweep).toMatchObject({ status: 'done', push: { rejected: 0 } });
      expect(Object.keys(result.sweep.pulled).sort()).toEqual(['credit', 'invoices', 'payments']);
      expect(ux.logSuccess.args.flat().join('\n')).toMatch(/^Financial sweep done: pulled \d+ invoices, \d+ payments/m);
    });

    it('a sweep already running (409) is a clear error with what to do', async () => {
      const busy = await startStubBackend(() => ({
        status: 409,
        body: JSON.stringify({
          error: { code: 'SWEEP_RUNNING', message: 'The sweep did not run: another financial sweep is running.' },
        }),
      }));
      try {
        const error = await failureOf(Sync.run(['--backend-url', busy.url, '--token', 't', '--financials']));

        expect(error.name).toBe('SweepRunningError');
        expect(error.message).toContain('A financial sweep is already running');
        expect(error.actions?.join('\n')).toContain('sf closeloop sync --financials');
        expect(busy.requests).toEqual(['POST /v1/sync/financials']);
      } finally {
        await busy.close();
      }
    });
  });
});
