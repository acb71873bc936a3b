/**
 * The fault suite's vocabulary: a step (one outbound request, or one store statement) and the
 * faults a step can suffer. `inject` waits for the step and makes it fail; what it returns says
 * whether the fault lasts until the test lifts it, and how to lift it.
 */
import type { LocalSalesforce } from '../../src/emulator/salesforce';
import type { Rig } from './faultRig';
import type { HeldRequest } from './faultProxy';
import type { HeldStatement } from './pgProxy';

export type FaultKind =
  'sigkill' | 'pgDrop' | 'pgRestart' | 'erpTimeout' | 'erp5xx' | 'sfInvalidSession' | 'sfRequestLimit' | 'sf503';

type HttpMatcher = (method: string, path: string, body: string) => boolean;

export type Step =
  | { name: string; via: 'erp' | 'salesforce'; matches: HttpMatcher }
  | { name: string; via: 'store'; matches: (sql: string) => boolean };

/** Every fault that can strike a step, by what the step talks to. */
export const FAULTS: Record<Step['via'], FaultKind[]> = {
  erp: ['sigkill', 'pgDrop', 'pgRestart', 'erpTimeout', 'erp5xx'],
  salesforce: ['sigkill', 'pgDrop', 'pgRestart', 'sfInvalidSession', 'sfRequestLimit', 'sf503'],
  store: ['sigkill', 'pgDrop', 'pgRestart'],
};

export interface FaultCase {
  step: Step;
  fault: FaultKind;
  /** e.g. "erp.confirm × erpTimeout" */
  title: string;
}

export function faultCases(steps: Step[]): FaultCase[] {
  return steps.flatMap((step) => FAULTS[step.via].map((fault) => ({ step, fault, title: `${step.name} × ${fault}` })));
}

/** A Tryton JSON-RPC call to `method` (e.g. "model.sale.sale.confirm"), optionally with `also` in the body. */
export const erpCall =
  (method: string, also?: string): HttpMatcher =>
  (_m, _p, body) =>
    body.includes(`"method":"${method}"`) && (also === undefined || body.includes(also));

export interface Injected {
  /** True when the fault lasts until `lift()`: the failure must be visible meanwhile. */
  lasting: boolean;
  lift(): Promise<void>;
}

/** Salesforce's error body, as the API (and the local Salesforce) sends it. */
const sfError = (errorCode: string, message: string) => JSON.stringify([{ message, errorCode }]);
const ERP_STATUSES = [502, 503, 500];

export async function inject(rig: Rig, sf: LocalSalesforce, step: Step, fault: FaultKind): Promise<Injected> {
  const nothing = async () => undefined;
  if (step.via !== 'store' && (fault === 'erp5xx' || fault === 'sfRequestLimit' || fault === 'sf503')) {
    const proxy = step.via === 'erp' ? rig.erpProxy : rig.sfProxy;
    const answer =
      fault === 'erp5xx'
        ? { status: ERP_STATUSES[step.name.length % ERP_STATUSES.length]!, body: 'Bad gateway' }
        : fault === 'sf503'
          ? { status: 503, body: sfError('SERVER_UNAVAILABLE', 'Service temporarily unavailable') }
          : { status: 403, body: sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') };
    const answering = proxy.answerWith(step.matches, answer);
    return { lasting: true, lift: async () => answering.stop() };
  }

  const held = await holdStep(rig, step);
  switch (fault) {
    case 'sigkill':
      await rig.backend.kill('SIGKILL');
      held.drop();
      return { lasting: false, lift: async () => void (await rig.restart()) };
    case 'pgDrop':
      rig.pg.cutAll();
      await held.release();
      return { lasting: false, lift: nothing };
    case 'pgRestart':
      rig.pg.setRefusing(true);
      rig.pg.cutAll();
      await held.release();
      return { lasting: true, lift: async () => rig.pg.setRefusing(false) };
    case 'erpTimeout': {
      // The ERP does the work, but only after the connector gave up on it: it arrives late, and
      // the next requests wait until it is done (as they would behind a slow ERP).
      await held.clientGone();
      rig.erpProxy.pause();
      await held.release();
      rig.erpProxy.resume();
      return { lasting: false, lift: nothing };
    }
    case 'sfInvalidSession':
      sf.expireAllTokens();
      await held.release();
      return { lasting: false, lift: nothing };
    default:
      throw new Error(`${fault} does not apply to ${step.name}`);
  }
}

interface Held {
  release(): Promise<void>;
  drop(): void;
  clientGone(): Promise<void>;
}

/** How long a fault point waits for its step to come (a step never reached is a failure, not a hang). */
const STEP_WAIT_MS = 60_000;

async function holdStep(rig: Rig, step: Step): Promise<Held> {
  let timer: NodeJS.Timeout | undefined;
  const never = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step ${step.name} was never reached`)), STEP_WAIT_MS);
  });
  try {
    return await Promise.race([holdStepNow(rig, step), never]);
  } finally {
    clearTimeout(timer);
  }
}

async function holdStepNow(rig: Rig, step: Step): Promise<Held> {
  if (step.via === 'store') {
    const held: HeldStatement = await rig.pg.holdStatement(step.matches);
    return { release: async () => held.release(), drop: () => held.cut(), clientGone: async () => undefined };
  }
  const proxy = step.via === 'erp' ? rig.erpProxy : rig.sfProxy;
  const held: HeldRequest = await proxy.holdNext(step.matches);
  return { release: () => held.release(), drop: () => held.drop(), clientGone: () => held.clientGone };
}
