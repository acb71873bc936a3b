/**
 * Metadata XML: well-formed, the right root element for its suffix, the contract's fields with
 * known types and exact picklist values, least-privilege permission sets, and credentials that
 * point at each other.
 */
const fs = require('fs');
const path = require('path');
const { FORCE_APP, sourceFiles, xmlError, readXml } = require('./lib/forceApp');

const rel = (f) => path.relative(FORCE_APP, f);
const xmlFiles = sourceFiles().filter((f) => f.endsWith('.xml'));
const objects = path.join(FORCE_APP, 'main', 'default', 'objects');
const permissionSets = path.join(FORCE_APP, 'main', 'default', 'permissionsets');

/** The root element each source suffix must have (what the Metadata API expects). */
const ROOTS = {
  '.cls-meta.xml': 'ApexClass',
  '.trigger-meta.xml': 'ApexTrigger',
  '.field-meta.xml': 'CustomField',
  '.object-meta.xml': 'CustomObject',
  '.permissionset-meta.xml': 'PermissionSet',
  '.customPermission-meta.xml': 'CustomPermission',
  '.namedCredential-meta.xml': 'NamedCredential',
  '.externalCredential-meta.xml': 'ExternalCredential',
  '.js-meta.xml': 'LightningComponentBundle',
  '.flexipage-meta.xml': 'FlexiPage',
};

/** Field types the Metadata API knows (CustomField.type). */
const KNOWN_FIELD_TYPES = new Set([
  'AutoNumber',
  'Checkbox',
  'Currency',
  'Date',
  'DateTime',
  'Email',
  'EncryptedText',
  'Html',
  'Location',
  'LongTextArea',
  'Lookup',
  'MasterDetail',
  'MultiselectPicklist',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Summary',
  'Text',
  'TextArea',
  'Time',
  'Url',
]);

/** PRODUCT.md's external contract: names and types others depend on. */
const CONTRACT = {
  Account: {
    ERP_Customer_Id__c: { type: 'Text', length: '64', externalId: 'true', unique: 'true' },
    Outstanding_Balance__c: { type: 'Currency', precision: '16', scale: '2' },
    Overdue_Balance__c: { type: 'Currency', precision: '16', scale: '2' },
    Credit_Limit__c: { type: 'Currency', precision: '16', scale: '2' },
    Available_Credit__c: { type: 'Currency', precision: '16', scale: '2' },
    Credit_Hold__c: { type: 'Checkbox' },
    Last_Payment_Date__c: { type: 'Date' },
    Days_Sales_Outstanding__c: { type: 'Number' },
    Finance_Synced_At__c: { type: 'DateTime' },
  },
  Opportunity: {
    ERP_Order_Id__c: { type: 'Text', length: '64', externalId: 'true' },
    ERP_Invoice_Number__c: { type: 'Text' },
    Booking_Status__c: { type: 'Picklist', values: ['Not Booked', 'Pending', 'Booked', 'Failed', 'Credit Hold'] },
    Booking_Error__c: { type: 'LongTextArea' },
    Booked_At__c: { type: 'DateTime' },
    Invoice_Status__c: { type: 'Picklist', values: ['Draft', 'Open', 'Partially Paid', 'Paid', 'Overdue', 'Void'] },
    Amount_Invoiced__c: { type: 'Currency', precision: '16', scale: '2' },
    Amount_Paid__c: { type: 'Currency', precision: '16', scale: '2' },
  },
};

function fieldFiles() {
  return sourceFiles().filter((f) => f.endsWith('.field-meta.xml'));
}

function field(object, name) {
  return readXml(path.join(objects, object, 'fields', `${name}.field-meta.xml`)).CustomField;
}

describe('metadata XML', () => {
  it('exists', () => {
    expect(xmlFiles.length).toBeGreaterThan(30);
  });

  it.each(xmlFiles.map((f) => [rel(f), f]))('%s is well-formed with the right root element', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    expect(xmlError(text)).toBeNull();
    const suffix = Object.keys(ROOTS).find((s) => file.endsWith(s));
    expect(suffix).toBeDefined();
    const doc = readXml(file);
    expect(Object.keys(doc).filter((k) => k !== '?xml')).toEqual([ROOTS[suffix]]);
    expect(doc[ROOTS[suffix]]['@_xmlns']).toBe('http://soap.sforce.com/2006/04/metadata');
  });

  // PermissionSet.description holds at most 255 characters (a longer one fails the deploy); the
  // credentials' descriptions are held to the same length, to be safe.
  const described = xmlFiles.filter((f) =>
    /\.(permissionset|customPermission|namedCredential|externalCredential)-meta\.xml$/.test(f),
  );
  it.each(described.map((f) => [rel(f), f]))('%s has a description of at most 255 characters', (_name, file) => {
    const doc = readXml(file);
    const root = doc[Object.keys(doc).find((k) => k !== '?xml')];
    expect(root.description).toEqual(expect.any(String));
    expect(root.description.length).toBeLessThanOrEqual(255);
  });

  it('rejects malformed XML (the check can fail)', () => {
    expect(xmlError('<CustomField><label>Open</CustomField>')).toMatch(/line 1/);
    expect(xmlError('<a>&</a>')).not.toBeNull();
    expect(xmlError('<?xml version="1.0"?>\n<a><b/></a>')).toBeNull();
  });
});

describe('custom fields', () => {
  it.each(fieldFiles().map((f) => [rel(f), f]))('%s has a known type, a label and help text', (_name, file) => {
    const f = readXml(file).CustomField;
    expect(KNOWN_FIELD_TYPES.has(f.type)).toBe(true);
    expect(f.fullName).toBe(path.basename(file, '.field-meta.xml'));
    expect(f.label).toEqual(expect.any(String));
    expect(f.inlineHelpText).toEqual(expect.any(String));
    expect(f.inlineHelpText.length).toBeLessThanOrEqual(510);
  });

  // What the backend writes (server/src/booking/writeBack.ts, financials/push.ts, summaries.ts), in the reps' words.
  it.each([
    ['Opportunity', 'Amount_Invoiced__c', /taxes included/i, /untaxed/i],
    ['Opportunity', 'Amount_Paid__c', /paid/i, /untaxed/i],
    [
      'Account',
      'Available_Credit__c',
      /credit limit minus .*posted invoices/i,
      /^Credit limit minus outstanding balance and/i,
    ],
    ['Account', 'Finance_Synced_At__c', /last changed/i, /last brought/i],
  ])('%s.%s help text says what the backend writes', (object, name, says, mustNotSay) => {
    const text = field(object, name).inlineHelpText;
    expect(text).toMatch(says);
    expect(text).not.toMatch(mustNotSay);
  });

  it('rejects an unknown type (the check can fail)', () => {
    expect(KNOWN_FIELD_TYPES.has('Money')).toBe(false);
    expect(KNOWN_FIELD_TYPES.has('Currency')).toBe(true);
  });

  const contractFields = Object.entries(CONTRACT).flatMap(([object, fields]) =>
    Object.entries(fields).map(([name, spec]) => [`${object}.${name}`, object, name, spec]),
  );

  it.each(contractFields)('%s is as the contract says', (_label, object, name, spec) => {
    const f = field(object, name);
    const { values, ...attributes } = spec;
    for (const [key, value] of Object.entries(attributes)) expect({ [key]: f[key] }).toEqual({ [key]: value });
    if (values) {
      const defined = f.valueSet.valueSetDefinition.value.map((v) => v.fullName);
      expect(defined).toEqual(values);
      expect(f.valueSet.valueSetDefinition.value.map((v) => v.label)).toEqual(values);
      expect(f.valueSet.restricted).toBe('true');
    }
  });

  it('has no other custom fields than the contract on Account and Opportunity', () => {
    const found = fieldFiles().map(
      (f) => `${path.basename(path.dirname(path.dirname(f)))}.${path.basename(f, '.field-meta.xml')}`,
    );
    expect(found.sort()).toEqual(contractFields.map(([label]) => label).sort());
  });
});

describe('permission sets', () => {
  const sets = ['Closeloop_User', 'Closeloop_Admin'];
  const read = (name) => readXml(path.join(permissionSets, `${name}.permissionset-meta.xml`)).PermissionSet;
  const allFields = Object.entries(CONTRACT).flatMap(([o, fields]) => Object.keys(fields).map((n) => `${o}.${n}`));

  it.each([...sets, 'Closeloop_Manager'])('%s never grants modify all, view all or delete', (name) => {
    const ps = read(name);
    for (const o of ps.objectPermissions ?? []) {
      expect({
        object: o.object,
        modifyAllRecords: o.modifyAllRecords,
        viewAllRecords: o.viewAllRecords,
        allowDelete: o.allowDelete,
      }).toEqual({
        object: o.object,
        modifyAllRecords: 'false',
        viewAllRecords: 'false',
        allowDelete: 'false',
      });
    }
    expect(ps.userPermissions).toBeUndefined();
  });

  it.each(sets)('%s reads every Closeloop field, runs both controllers and may use the backend credential', (name) => {
    const ps = read(name);
    const readable = ps.fieldPermissions.filter((f) => f.readable === 'true').map((f) => f.field);
    expect(readable.sort()).toEqual([...allFields].sort());
    expect(
      ps.classAccesses
        .filter((c) => c.enabled === 'true')
        .map((c) => c.apexClass)
        .sort(),
    ).toEqual(['AccountPulseController', 'OpportunityBillingController']);
    expect(ps.externalCredentialPrincipalAccesses).toEqual([
      { enabled: 'true', externalCredentialPrincipal: 'Closeloop_Backend_Auth-Closeloop_Service' },
    ]);
  });

  it('lets the integration user write every Closeloop field, and nothing more', () => {
    const ps = read('Closeloop_Integration');
    expect(
      ps.fieldPermissions
        .filter((f) => f.editable === 'true' && f.readable === 'true')
        .map((f) => f.field)
        .sort(),
    ).toEqual([...allFields].sort());
    expect(
      ps.objectPermissions.map((o) => [
        String(o.object),
        o.allowRead,
        o.allowEdit,
        o.allowCreate,
        o.allowDelete,
        o.modifyAllRecords,
        o.viewAllRecords,
      ]),
    ).toEqual([
      ['Account', 'true', 'true', 'false', 'false', 'false', 'false'],
      ['Opportunity', 'true', 'true', 'false', 'false', 'false', 'false'],
      ['Product2', 'true', 'false', 'false', 'false', 'false', 'false'],
    ]);
    expect(ps.classAccesses).toBeUndefined();
    expect(ps.externalCredentialPrincipalAccesses).toBeUndefined();
    expect(ps.userPermissions).toBeUndefined();
  });

  it('lets users edit nothing, and admins only the ERP customer link', () => {
    const editable = (name) =>
      read(name)
        .fieldPermissions.filter((f) => f.editable === 'true')
        .map((f) => f.field);
    expect(editable('Closeloop_User')).toEqual([]);
    expect(editable('Closeloop_Admin')).toEqual(['Account.ERP_Customer_Id__c']);
    expect(
      read('Closeloop_User').objectPermissions.every((o) => o.allowEdit === 'false' && o.allowCreate === 'false'),
    ).toBe(true);
  });

  const objectGrants = (name) =>
    read(name).objectPermissions.map((o) => [
      String(o.object),
      o.allowRead,
      o.allowEdit,
      o.allowCreate,
      o.allowDelete,
      o.modifyAllRecords,
      o.viewAllRecords,
    ]);

  it('gives admins Account Edit only because editing ERP_Customer_Id__c needs it, and nothing more', () => {
    // Salesforce lets a user edit a field only with Edit on its object: no narrower grant links an
    // account. Everything else stays read-only, and the description says why Edit is there.
    expect(objectGrants('Closeloop_Admin')).toEqual([
      ['Account', 'true', 'true', 'false', 'false', 'false', 'false'],
      ['Opportunity', 'true', 'false', 'false', 'false', 'false', 'false'],
    ]);
    expect(objectGrants('Closeloop_User')).toEqual([
      ['Account', 'true', 'false', 'false', 'false', 'false', 'false'],
      ['Opportunity', 'true', 'false', 'false', 'false', 'false', 'false'],
    ]);
    expect(read('Closeloop_Admin').description).toMatch(/Edit on Account.*ERP Customer Id/);
  });

  it('gives managers the forecast and its credential, and no record access at all', () => {
    // Managers also hold Closeloop User for the record pages: this set adds only what the forecast needs.
    const ps = read('Closeloop_Manager');
    expect(ps.label).toBe('Closeloop Manager');
    expect(ps.classAccesses).toEqual([{ apexClass: 'ForecastController', enabled: 'true' }]);
    expect(ps.customPermissions).toEqual([{ enabled: 'true', name: 'Closeloop_View_Forecast' }]);
    expect(ps.externalCredentialPrincipalAccesses).toEqual([
      { enabled: 'true', externalCredentialPrincipal: 'Closeloop_Backend_Auth-Closeloop_Service' },
    ]);
    expect(ps.fieldPermissions).toBeUndefined();
    expect(ps.objectPermissions).toBeUndefined();
    expect(ps.userPermissions).toBeUndefined();
  });

  it('keeps the forecast to managers: no other set runs its controller or holds its custom permission', () => {
    for (const name of [...sets, 'Closeloop_Integration']) {
      const ps = read(name);
      expect({
        name,
        forecast: (ps.classAccesses ?? []).map((c) => c.apexClass).includes('ForecastController'),
      }).toEqual({ name, forecast: false });
      expect({ name, customPermissions: ps.customPermissions }).toEqual({ name, customPermissions: undefined });
    }
  });

  it('makes ForecastController check that custom permission before anything else', () => {
    // The backend adds up every synced deal, whatever the user's sharing: class access alone
    // would let any profile that grants the class read every rep's figures.
    const src = fs.readFileSync(path.join(FORCE_APP, 'main/default/classes/ForecastController.cls'), 'utf8');
    expect(src).toMatch(/VIEW_PERMISSION = 'Closeloop_View_Forecast';/);
    expect(src).toMatch(/FeatureManagement\.checkPermission\(VIEW_PERMISSION\)/);
    const body = src.slice(src.indexOf('getForecast('));
    expect(body.indexOf('requireViewPermission();')).toBeGreaterThan(-1);
    expect(body.indexOf('requireViewPermission();')).toBeLessThan(body.indexOf('CloseloopApi.get('));
    const permission = readXml(
      path.join(FORCE_APP, 'main/default/customPermissions/Closeloop_View_Forecast.customPermission-meta.xml'),
    ).CustomPermission;
    expect(permission.isLicensed).toBe('false');
  });

  it.each([...sets, 'Closeloop_Integration', 'Closeloop_Manager'])(
    '%s grants only fields, objects, classes, custom permissions and the credential',
    (name) => {
      const kinds = Object.keys(read(name)).filter((k) => !k.startsWith('@_'));
      const allowed = [
        'classAccesses',
        'customPermissions',
        'description',
        'externalCredentialPrincipalAccesses',
        'fieldPermissions',
        'hasActivationRequired',
        'label',
        'objectPermissions',
      ];
      expect(kinds.filter((k) => !allowed.includes(k))).toEqual([]);
    },
  );

  it('names only fields, classes and custom permissions that exist in the package', () => {
    const named = (suffix) =>
      new Set(
        sourceFiles()
          .filter((f) => f.endsWith(suffix))
          .map((f) => path.basename(f, suffix)),
      );
    const classes = named('.cls');
    const customPermissions = named('.customPermission-meta.xml');
    for (const name of [...sets, 'Closeloop_Integration', 'Closeloop_Manager']) {
      const ps = read(name);
      for (const f of ps.fieldPermissions ?? []) expect(allFields).toContain(f.field);
      for (const c of ps.classAccesses ?? []) expect(classes.has(c.apexClass)).toBe(true);
      for (const c of ps.customPermissions ?? []) expect(customPermissions.has(c.name)).toBe(true);
    }
  });
});

/**
 * A custom header whose value is a formula ({!…}, e.g. over $Credential) is evaluated only when the
 * named credential allows formulas in headers ("Allow Formulas in HTTP Header", metadata
 * allowMergeFieldsInHeader); otherwise the formula text itself is sent. Headers live on the
 * external credential (AuthHeader parameters) or on the named credential (HttpHeader parameters).
 * Returns one sentence per named credential that sends a formula header it does not allow.
 */
function headerFormulaProblems(namedCredentials, externalCredentials) {
  const isFormula = (value) => typeof value === 'string' && /\{!|\$Credential\./.test(value);
  const problems = [];
  for (const [ncName, nc] of Object.entries(namedCredentials)) {
    const params = nc.namedCredentialParameters ?? [];
    const headers = params.filter((p) => p.parameterType === 'HttpHeader').map((p) => [ncName, p]);
    for (const auth of params.filter((p) => p.parameterType === 'Authentication')) {
      const ec = externalCredentials[auth.externalCredential];
      if (!ec) {
        problems.push(`${ncName}: external credential ${auth.externalCredential} not in the package`);
        continue;
      }
      for (const p of ec.externalCredentialParameters ?? []) {
        if (p.parameterType === 'AuthHeader') headers.push([auth.externalCredential, p]);
      }
    }
    for (const [owner, header] of headers) {
      if (isFormula(header.parameterValue) && nc.allowMergeFieldsInHeader !== 'true') {
        problems.push(
          `${ncName}: header ${header.parameterName} of ${owner} is a formula, but allowMergeFieldsInHeader is not true`,
        );
      }
    }
  }
  return problems;
}

describe('named and external credentials', () => {
  const credentials = (folder, suffix, root) =>
    Object.fromEntries(
      sourceFiles()
        .filter((f) => f.includes(`/${folder}/`) && f.endsWith(suffix))
        .map((f) => [path.basename(f, suffix), readXml(f)[root]]),
    );
  const ncs = credentials('namedCredentials', '.namedCredential-meta.xml', 'NamedCredential');
  const ecs = credentials('externalCredentials', '.externalCredential-meta.xml', 'ExternalCredential');
  const ec = ecs.Closeloop_Backend_Auth;
  const nc = ncs.Closeloop_Backend;

  it("keeps the token out of source: a formula over the principal's Token parameter", () => {
    const header = ec.externalCredentialParameters.find((p) => p.parameterType === 'AuthHeader');
    expect(header.parameterName).toBe('Authorization');
    expect(header.parameterValue).toBe("{!'Bearer ' & $Credential.Closeloop_Backend_Auth.Token}");
    const principal = ec.externalCredentialParameters.find((p) => p.parameterType === 'NamedPrincipal');
    expect(principal.parameterName).toBe('Closeloop_Service');
    const all = JSON.stringify([ec, nc]);
    expect(all).not.toMatch(/AuthParameter|Password|Secret/);
  });

  it('points the named credential at the external credential, over HTTPS', () => {
    expect(nc.namedCredentialType).toBe('SecuredEndpoint');
    const auth = nc.namedCredentialParameters.find((p) => p.parameterType === 'Authentication');
    expect(auth.externalCredential).toBe('Closeloop_Backend_Auth');
    const url = nc.namedCredentialParameters.find((p) => p.parameterType === 'Url');
    expect(url.parameterValue).toMatch(/^https:\/\/[^/]+$/);
    expect(nc.allowMergeFieldsInBody).toBe('false');
  });

  it('lets the named credential evaluate the formula headers it sends (Allow Formulas in HTTP Header)', () => {
    expect(Object.keys(ncs)).toEqual(['Closeloop_Backend']);
    expect(headerFormulaProblems(ncs, ecs)).toEqual([]);
    expect(nc.allowMergeFieldsInHeader).toBe('true');
    // Formulas in the body stay off: the events and ids Apex posts are data, never to be evaluated.
    expect(nc.allowMergeFieldsInBody).toBe('false');
  });

  it('reports a formula header the named credential does not allow (the check can fail)', () => {
    const off = { ...nc, allowMergeFieldsInHeader: 'false' };
    expect(headerFormulaProblems({ Closeloop_Backend: off }, ecs)).toEqual([
      'Closeloop_Backend: header Authorization of Closeloop_Backend_Auth is a formula, but allowMergeFieldsInHeader is not true',
    ]);
    const ownHeader = {
      ...off,
      namedCredentialParameters: [
        { parameterName: 'X-Key', parameterType: 'HttpHeader', parameterValue: '{!$Credential.A.Key}' },
      ],
    };
    expect(headerFormulaProblems({ N: ownHeader }, {})).toHaveLength(1);
    const literal = {
      ...off,
      namedCredentialParameters: [{ parameterName: 'X-Plain', parameterType: 'HttpHeader', parameterValue: 'abc' }],
    };
    expect(headerFormulaProblems({ N: literal }, {})).toEqual([]);
    expect(headerFormulaProblems({ Closeloop_Backend: nc }, {})).toEqual([
      'Closeloop_Backend: external credential Closeloop_Backend_Auth not in the package',
    ]);
  });
});
