/** Every Apex class and trigger parses with the Apex grammar (real syntax errors fail here). */
const fs = require('fs');
const path = require('path');
const { FORCE_APP, sourceFiles, apexSyntaxErrors } = require('./lib/forceApp');
const { calloutOrderProblems, stripApex, workInLoops } = require('./lib/apexCalloutOrder');

const apexFiles = sourceFiles().filter((f) => /\.(cls|trigger)$/.test(f));
const rel = (f) => path.relative(FORCE_APP, f);

describe('Apex source', () => {
  it('is there: the client, the controllers, the triggers, the events Queueable and their tests', () => {
    const names = apexFiles.map((f) => path.basename(f));
    expect(names).toEqual(
      expect.arrayContaining([
        'CloseloopApi.cls',
        'AccountPulseController.cls',
        'OpportunityBillingController.cls',
        'ForecastController.cls',
        'OpportunityTriggerHandler.cls',
        'AccountTriggerHandler.cls',
        'CloseloopEventsQueueable.cls',
        'OpportunityTrigger.trigger',
        'AccountTrigger.trigger',
        'CloseloopApiTest.cls',
        'AccountPulseControllerTest.cls',
        'OpportunityBillingControllerTest.cls',
        'ForecastControllerTest.cls',
        'OpportunityTriggerHandlerTest.cls',
        'AccountTriggerHandlerTest.cls',
        'CloseloopEventsQueueableTest.cls',
      ]),
    );
  });

  it.each(apexFiles.map((f) => [rel(f), f]))('%s parses', (_name, file) => {
    const kind = file.endsWith('.trigger') ? 'trigger' : 'class';
    expect(apexSyntaxErrors(fs.readFileSync(file, 'utf8'), kind)).toEqual([]);
  });

  it('reports a real syntax error with its line and column (the check can fail)', () => {
    const broken =
      'public with sharing class Broken {\n    public static void go() {\n        Integer i = ;\n    }\n}\n';
    const errors = apexSyntaxErrors(broken);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ line: 3, column: 20 });
    expect(apexSyntaxErrors('trigger T on Opportunity (after update) { new H().run() }', 'trigger')).not.toEqual([]);
  });
});

describe('Apex rules of the package', () => {
  const read = (name) =>
    fs.readFileSync(
      apexFiles.find((f) => path.basename(f) === name),
      'utf8',
    );
  const classes = apexFiles.filter((f) => f.endsWith('.cls'));
  const isTest = (src) => /^\s*@IsTest\b/im.test(src);

  it.each(classes.map((f) => [rel(f), f]))('%s declares its sharing', (_name, file) => {
    const src = fs.readFileSync(file, 'utf8');
    if (isTest(src)) return;
    expect(src).toMatch(/\bpublic\s+with sharing\s+class\b/);
  });

  it.each(classes.map((f) => [rel(f), f]))('%s queries only in user mode or says why not', (_name, file) => {
    const src = fs.readFileSync(file, 'utf8');
    if (isTest(src)) return;
    const inline = src.match(/\[\s*SELECT[\s\S]*?\]/gi) || [];
    for (const query of inline) expect(query).toMatch(/WITH (USER_MODE|SYSTEM_MODE)/i);
    const dynamic = src.match(/Database\.query\w*\([^;]*;/g) || [];
    for (const call of dynamic) expect(call).toMatch(/AccessLevel\.USER_MODE/);
  });

  it.each([
    ['OpportunityTrigger', 'Opportunity', 'before insert, before update, after insert, after update'],
    ['AccountTrigger', 'Account', 'after insert, after update'],
  ])('keeps %s to one line into its handler', (trigger, object, events) => {
    const src = read(`${trigger}.trigger`);
    expect(src).toMatch(new RegExp(`^trigger ${trigger} on ${object}\\(${events}\\) \\{`));
    const body = src.replace(/^[^{]*\{/, '').replace(/\}\s*$/, '');
    expect(body.trim()).toBe(`new ${object}TriggerHandler().run();`);
  });

  it('makes every trigger announce through the one events Queueable, with no static guard of its own', () => {
    for (const handler of ['OpportunityTriggerHandler.cls', 'AccountTriggerHandler.cls']) {
      const src = read(handler);
      expect({ handler, announces: /CloseloopEventsQueueable\.announce\(/.test(src) }).toEqual({
        handler,
        announces: true,
      });
      // A static Set<Id> of "already done" records survives the rollback of a partly failed save
      // (allOrNone=false) and would skip the records Salesforce saves on its retry.
      expect({ handler, staticIdSet: /static\s+(final\s+)?Set<Id>/.test(src) }).toEqual({
        handler,
        staticIdSet: false,
      });
      expect({ handler, enqueues: /System\.enqueueJob\(/.test(src) }).toEqual({ handler, enqueues: false });
    }
    const events = read('CloseloopEventsQueueable.cls');
    expect(events).toMatch(/'account\.erp_customer_changed'/);
    expect(events).toMatch(/'opportunity\.closed_won'/);
    expect(events).toMatch(/MAX_EVENTS_PER_CALLOUT = 200;/);
    // The guard is keyed to the Queueable count, which Salesforce resets on the retry.
    expect(events).toMatch(/Limits\.getQueueableJobs\(\) >= recorded/);
  });

  it('calls out only through the Closeloop_Backend named credential, in one class', () => {
    const callers = classes.filter((f) => /new Http\(\)\.send|callout:/.test(fs.readFileSync(f, 'utf8')));
    const production = callers.filter((f) => !isTest(fs.readFileSync(f, 'utf8')));
    expect(production.map((f) => path.basename(f))).toEqual(['CloseloopApi.cls']);
    const client = read('CloseloopApi.cls');
    expect(client).toMatch(/CALLOUT_NAME = 'Closeloop_Backend'/);
    expect(client).toMatch(/setTimeout\(/);
    expect(client).not.toMatch(/setHeader\('Authorization'/i);
    // The named credential evaluates formulas in headers (for the token): Apex must only ever set
    // fixed header values, never one built from data, which could smuggle in a {!$Credential…}.
    const setHeaders = client.match(/setHeader\([^;]*;/g) || [];
    expect(setHeaders.length).toBeGreaterThan(0);
    for (const call of setHeaders) expect(call).toMatch(/^setHeader\('[\w-]+', '[^'{}]*'\);$/);
  });

  it('gives every production class a test class that exercises it', () => {
    const tests = classes
      .map((f) => fs.readFileSync(f, 'utf8'))
      .filter(isTest)
      .join('\n');
    for (const file of classes) {
      const src = fs.readFileSync(file, 'utf8');
      if (isTest(src)) continue;
      const name = path.basename(file, '.cls');
      expect({ name, tested: new RegExp(`\\b${name}\\b`).test(tests) }).toEqual({ name, tested: true });
    }
  });

  /** The argument count of every Assert.<method>( call, read by walking brackets (strings blanked first). */
  function assertCalls(source) {
    const src = source.replace(/'(?:[^'\\]|\\.)*'/g, "''");
    const calls = [];
    const start = /\bAssert\.(\w+)\(/g;
    let match;
    while ((match = start.exec(src))) {
      let level = 1;
      let args = 1;
      let i = start.lastIndex;
      for (; i < src.length && level > 0; i += 1) {
        const ch = src[i];
        if ('({['.includes(ch)) level += 1;
        else if (')}]'.includes(ch)) level -= 1;
        else if (ch === ',' && level === 1) args += 1;
      }
      calls.push({ method: match[1], args, text: src.slice(match.index, i) });
    }
    return calls;
  }

  it('asserts with a message everywhere (Assert.areEqual(expected, actual, message))', () => {
    const needed = { areEqual: 3, areNotEqual: 3, isTrue: 2, isFalse: 2, isNull: 2, isNotNull: 2, fail: 1 };
    let count = 0;
    for (const file of classes) {
      const src = fs.readFileSync(file, 'utf8');
      if (!isTest(src)) continue;
      for (const call of assertCalls(src)) {
        count += 1;
        expect({ file: rel(file), call: call.text, args: call.args }).toEqual({
          file: rel(file),
          call: call.text,
          args: needed[call.method] ?? call.args,
        });
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it('counts assertion arguments correctly (the check can fail)', () => {
    const calls = assertCalls(
      "Assert.areEqual(1, f(a, b)); Assert.isTrue(x, 'y; z, w'); Assert.areEqual(new List<Integer>{ 1, 2 }, l, 'm');",
    );
    expect(calls.map((c) => [c.method, c.args])).toEqual([
      ['areEqual', 2],
      ['isTrue', 2],
      ['areEqual', 3],
    ]);
  });
});

describe('Apex tests that would fail in an org', () => {
  const testClasses = Object.fromEntries(
    apexFiles
      .filter((f) => f.endsWith('.cls'))
      .map((f) => [path.basename(f, '.cls'), fs.readFileSync(f, 'utf8')])
      .filter(([, src]) => /^\s*@IsTest\b/im.test(src)),
  );

  it('reads the test classes and their helpers', () => {
    expect(Object.keys(testClasses)).toEqual(expect.arrayContaining(['CloseloopHttpMock', 'CloseloopApiTest']));
  });

  it('make no synchronous callout after DML or async work in the same context', () => {
    expect(calloutOrderProblems(testClasses)).toEqual([]);
  });

  it('finds DML or an enqueued job before a callout, and a mock set too early (the check can fail)', () => {
    const helpers = {
      Mock: 'public class Mock { public static void answer(Integer s, String b) { Test.setMock(HttpCalloutMock.class, null); } }',
      Data: "public class Data { public static Account make() { Account a = new Account(Name = 'insert x;'); insert a; return a; } }",
    };
    const test = (body) => ({ ...helpers, T: `@IsTest private class T { @IsTest static void m() { ${body} } }` });
    const problems = (body) => calloutOrderProblems(test(body)).map((p) => p.problem.replace(/^.*…: /, ''));

    // The shape the review found: a save (firing the trigger) and the mock, then startTest and the callout.
    expect(
      problems(
        "Opportunity o = [SELECT Id FROM Opportunity LIMIT 1]; update o; CloseloopHttpMock.answer(200, '{}'); Test.startTest(); OpportunityBillingController.getBilling(o.Id); Test.stopTest();",
      ),
    ).toEqual(['mock set before Test.startTest() after DML: set it after Test.startTest()']);
    expect(
      problems(
        'Test.startTest(); Account a = Data.make(); AccountPulseController.getPulse(a.Id, 5, 5); Test.stopTest();',
      ),
    ).toEqual(['callout after DML or async work in the same context (uncommitted work pending)']);
    expect(problems("System.enqueueJob(new Job()); CloseloopApi.get('/v1/x', null);")).toEqual([
      'callout after DML or async work in the same context (uncommitted work pending)',
    ]);
    expect(
      problems(
        "Database.update(new List<Account>(), false); Test.startTest(); Test.stopTest(); CloseloopApi.get('/v1/x', null);",
      ),
    ).toEqual(['callout after DML or async work in the same context (uncommitted work pending)']);

    // Fine: data before startTest, mock and callout after it; or no DML at all; or words only in strings and comments.
    expect(
      problems(
        "Account a = Data.make(); Test.startTest(); Mock.answer(200, '{}'); CloseloopApi.get('/v1/x', null); Test.stopTest();",
      ),
    ).toEqual([]);
    expect(problems("Mock.answer(200, '{}'); CloseloopApi.post('/v1/events', null);")).toEqual([]);
    expect(problems("// update the deal first\nString s = 'insert into x'; CloseloopApi.get('/v1/x', null);")).toEqual(
      [],
    );
    expect(
      problems(
        'List<Opportunity> d = [SELECT Id FROM Opportunity]; update d; Test.startTest(); update d; Test.stopTest();',
      ),
    ).toEqual([]);
  });
});

describe('Apex within the governor limits', () => {
  // The test helpers that run a query on each call.
  const querying = ['CloseloopHttpMock.wonStage', 'CloseloopHttpMock.openStage', 'CloseloopHttpMock.lostStage'];

  it.each(apexFiles.map((f) => [rel(f), f]))('%s queries and saves outside loops', (_name, file) => {
    expect(workInLoops(stripApex(fs.readFileSync(file, 'utf8')), querying)).toEqual([]);
  });

  it('finds a query or a save inside a loop, not one in a loop header (the check can fail)', () => {
    const src = stripApex(`
      for (Opportunity deal : deals) { deal.StageName = CloseloopHttpMock.wonStage(); }
      for (Integer i = 0; i < n; i++) { if (x) { insert new Account(Name = 'a'); } }
      while (more) { List<Account> a = [SELECT Id FROM Account]; }
      for (Opportunity o : [SELECT Id FROM Opportunity]) { ids.add(o.Id); }
      for (Account a : accounts) { a.Name = 'update x'; }
      for (Account a : accounts) a.Name = 'y';`);
    expect(workInLoops(src, querying).map((p) => p.found)).toEqual([
      'CloseloopHttpMock.wonStage(',
      'insert n',
      '[SELECT',
    ]);
  });
});
