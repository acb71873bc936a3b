/**
 * Salesforce refuses a callout after DML or after enqueuing async work in the same transaction
 * ("You have uncommitted work pending. Please commit or rollback before calling out"), and mock
 * callouts in tests obey the same rule. In a test, Test.startTest() opens a fresh context: data
 * made before it (or in @TestSetup) does not block a callout made after it. This reads the Apex
 * test classes (comments and strings blanked) and reports every @IsTest method whose synchronous
 * callout would meet uncommitted work, or whose mock is set before Test.startTest() when the
 * method did DML before it.
 *
 * A heuristic, not a compiler: it follows one method top to bottom (helpers of the test classes
 * that do DML or call out count as such), which is how these tests are written.
 */

/** Blanks comments and string literals so that words inside them are not read as code. */
function stripApex(source) {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
}

/** [{name, annotations, body}] for every method of a (stripped) class, bodies found by brace matching. */
function methods(stripped) {
  const found = [];
  const header =
    /((?:@\w+(?:\([^)]*\))?\s+)*)(?:(?:public|private|protected|global|static|override|virtual)\s+)+[\w<>,.\s]+?\s+(\w+)\s*\([^)]*\)\s*\{/g;
  let match;
  while ((match = header.exec(stripped))) {
    let level = 1;
    let i = header.lastIndex;
    for (; i < stripped.length && level > 0; i += 1) {
      if (stripped[i] === '{') level += 1;
      else if (stripped[i] === '}') level -= 1;
    }
    found.push({ name: match[2], annotations: match[1], body: stripped.slice(header.lastIndex, i - 1) });
    header.lastIndex = i;
  }
  return found;
}

const DML =
  /\b(?:insert|update|upsert|delete|undelete|merge)\s+[\w([]|\bDatabase\.(?:insert|update|upsert|delete|undelete|merge)\w*\(/gi;
const ASYNC = /\bSystem\.enqueueJob\(|\bDatabase\.executeBatch\(|\bEventBus\.publish\(/g;
const SYNC_CALLOUT =
  /\b(?:AccountPulseController\.(?:getPulse|refreshPulse)|OpportunityBillingController\.(?:getBilling|retryBooking)|ForecastController\.getForecast|CloseloopApi\.(?:get|post))\(/g;
const MOCK = /\bCloseloopHttpMock\.(?:answer|down)\(|\bTest\.setMock\(/g;
const START = /\bTest\.startTest\(\)/g;
const STOP = /\bTest\.stopTest\(\)/g;

function callsTo(names) {
  return names.length ? new RegExp(`(?<![.\\w])(?:\\w+\\.)?(?:${names.join('|')})\\(`, 'g') : null;
}

function positions(body, pattern, kind) {
  if (!pattern) return [];
  return [...body.matchAll(pattern)].map((m) => ({ kind, index: m.index, text: m[0] }));
}

/** Helper names (of any of the classes) that do DML / call out, directly or through another helper. */
function helperKinds(allMethods) {
  const helpers = allMethods.filter((m) => !/@IsTest\b/i.test(m.annotations));
  const dml = new Set();
  const callout = new Set();
  let changed = true;
  while (changed) {
    changed = false;
    for (const m of helpers) {
      const dmlCalls = callsTo([...dml]);
      const calloutCalls = callsTo([...callout]);
      const doesDml = DML.test(m.body) || (dmlCalls && dmlCalls.test(m.body));
      const callsOut = SYNC_CALLOUT.test(m.body) || (calloutCalls && calloutCalls.test(m.body));
      DML.lastIndex = 0;
      SYNC_CALLOUT.lastIndex = 0;
      if (doesDml && !dml.has(m.name)) {
        dml.add(m.name);
        changed = true;
      }
      if (callsOut && !callout.has(m.name)) {
        callout.add(m.name);
        changed = true;
      }
    }
  }
  return { dml: [...dml], callout: [...callout] };
}

/**
 * Problems of the @IsTest methods in these classes: [{cls, method, problem}].
 * @param {Record<string, string>} classes class name → Apex source (test classes and their helpers)
 */
function calloutOrderProblems(classes) {
  const parsed = Object.entries(classes).map(([cls, source]) => ({ cls, methods: methods(stripApex(source)) }));
  const kinds = helperKinds(parsed.flatMap((c) => c.methods));
  const problems = [];
  for (const { cls, methods: all } of parsed) {
    for (const m of all.filter((x) => /@IsTest\b/i.test(x.annotations))) {
      const events = [
        ...positions(m.body, DML, 'work'),
        ...positions(m.body, ASYNC, 'work'),
        ...positions(m.body, callsTo(kinds.dml), 'work'),
        ...positions(m.body, SYNC_CALLOUT, 'callout'),
        ...positions(m.body, callsTo(kinds.callout), 'callout'),
        ...positions(m.body, MOCK, 'mock'),
        ...positions(m.body, START, 'start'),
        ...positions(m.body, STOP, 'stop'),
      ].sort((a, b) => a.index - b.index);
      let inTest = false;
      let workBefore = false; // DML or async before Test.startTest() (or after Test.stopTest())
      let workInside = false; // DML or async since Test.startTest()
      let mockBeforeStart = false;
      let mockInside = false;
      for (const e of events) {
        if (e.kind === 'start') {
          inTest = true;
          workInside = false;
          mockInside = false;
        } else if (e.kind === 'stop') {
          inTest = false;
        } else if (e.kind === 'work') {
          if (inTest) workInside = true;
          else workBefore = true;
        } else if (e.kind === 'mock') {
          if (inTest) mockInside = true;
          else mockBeforeStart = true;
        } else if (e.kind === 'callout') {
          const problem = (text) => problems.push({ cls, method: m.name, problem: `${e.text}…: ${text}` });
          if (inTest ? workInside : workBefore) {
            problem('callout after DML or async work in the same context (uncommitted work pending)');
          } else if (inTest && workBefore && mockBeforeStart && !mockInside) {
            problem('mock set before Test.startTest() after DML: set it after Test.startTest()');
          }
        }
      }
    }
  }
  return problems;
}

/**
 * Queries and DML written inside a loop's body: each pass spends one of the transaction's 100
 * queries or 150 DML statements, so 200 records break the limit. A for loop over a query
 * (`for (X x : [SELECT …])`) is fine: the query is in its header. Helpers that query are given by
 * name (their calls count as queries). Returns [{loop, found}] for a (stripped) source.
 */
function workInLoops(stripped, queryingHelpers = []) {
  const problems = [];
  const header = /\b(?:for|while)\s*\(/g;
  const work = new RegExp(
    [
      '\\[\\s*SELECT\\b',
      '\\bDatabase\\.(?:query\\w*|insert|update|upsert|delete)\\(',
      '\\b(?:insert|update|upsert|delete|undelete)\\s+[\\w(]',
      ...queryingHelpers.map((h) => `\\b${h.replace('.', '\\.')}\\(`),
    ].join('|'),
    'gi',
  );
  let match;
  while ((match = header.exec(stripped))) {
    // Skip the loop's header (balanced parentheses), then take its body (braces) if it has one.
    let i = header.lastIndex;
    for (let level = 1; i < stripped.length && level > 0; i += 1) {
      if (stripped[i] === '(') level += 1;
      else if (stripped[i] === ')') level -= 1;
    }
    const open = stripped.slice(i).search(/\S/) + i;
    if (stripped[open] !== '{') continue;
    let end = open + 1;
    for (let level = 1; end < stripped.length && level > 0; end += 1) {
      if (stripped[end] === '{') level += 1;
      else if (stripped[end] === '}') level -= 1;
    }
    for (const found of stripped.slice(open, end).matchAll(work)) {
      problems.push({ loop: stripped.slice(match.index, open).trim(), found: found[0] });
    }
  }
  return problems;
}

module.exports = { stripApex, methods, calloutOrderProblems, workInLoops };
