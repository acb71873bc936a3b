/**
 * /readyz is open to anyone who can reach the port, and each check calls the ERP and Salesforce:
 * a flood of probes must not turn into a flood of calls to them.
 */
import express from 'express';
import request from 'supertest';
import { healthRouter } from '../../src/http/routes/health';

function countingApp(freshForMs: number, fail = false) {
  const calls = { erp: 0 };
  const app = express();
  app.use(
    healthRouter(
      {
        erp: async () => {
          calls.erp++;
          await new Promise((r) => setTimeout(r, 20)); // a check takes a while: probes overlap it
          if (fail) throw new Error('ERP down');
        },
      },
      freshForMs,
    ),
  );
  return { app, calls };
}

test('fifty concurrent probes share one round of checks', async () => {
  const { app, calls } = countingApp(60_000);
  const answers = await Promise.all(Array.from({ length: 50 }, () => request(app).get('/readyz')));
  expect(answers.every((a) => a.status === 200 && a.body.status === 'ready')).toBe(true);
  expect(calls.erp).toBe(1);
  await request(app).get('/readyz');
  expect(calls.erp).toBe(1); // still fresh
});

test('once the answer is older than freshForMs the next probe checks again, and failures are reported', async () => {
  const { app, calls } = countingApp(0, true);
  const first = await request(app).get('/readyz');
  expect(first.status).toBe(503);
  expect(first.body.checks).toEqual({ erp: { ok: false, error: expect.any(String) } });
  await request(app).get('/readyz');
  expect(calls.erp).toBe(2);
});
