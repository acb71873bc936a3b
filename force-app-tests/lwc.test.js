/**
 * What the Lightning components ask of the platform exists in the package: every
 * @salesforce/apex import names an @AuraEnabled method (cacheable when it is wired), every
 * @salesforce/schema field exists, and the record-page components target the right objects.
 */
const fs = require('fs');
const path = require('path');
const { FORCE_APP, sourceFiles, readXml } = require('./lib/forceApp');

const files = sourceFiles();
const lwcJs = files.filter((f) => /\/lwc\/[^/]+\/[^/]+\.js$/.test(f));
const apexSource = (cls) => {
  const file = files.find((f) => path.basename(f) === `${cls}.cls`);
  return file ? fs.readFileSync(file, 'utf8') : null;
};

/** The annotation right before `static ... method(`: null if the method is not @AuraEnabled. */
function auraAnnotation(source, method) {
  const match = new RegExp(
    `(@AuraEnabled(?:\\([^)]*\\))?)\\s+public\\s+static\\s+[\\w<>, ]+\\s+${method}\\s*\\(`,
    'i',
  ).exec(source);
  return match ? match[1] : null;
}

/** [{cls, method, local, wired}] for each Apex import of a component's JavaScript. */
function apexImports(js) {
  const imports = [...js.matchAll(/import\s+(\w+)\s+from\s+'@salesforce\/apex\/(\w+)\.(\w+)'/g)].map(
    ([, local, cls, method]) => ({
      local,
      cls,
      method,
    }),
  );
  return imports.map((i) => ({ ...i, wired: new RegExp(`@wire\\(\\s*${i.local}\\b`).test(js) }));
}

describe('components and Apex', () => {
  const imports = lwcJs.flatMap((file) =>
    apexImports(fs.readFileSync(file, 'utf8')).map((i) => ({ ...i, file: path.relative(FORCE_APP, file) })),
  );

  it('finds the Apex the components use', () => {
    expect(imports.map((i) => `${i.cls}.${i.method}${i.wired ? ' (wired)' : ''}`).sort()).toEqual([
      'AccountPulseController.getPulse (wired)',
      'AccountPulseController.refreshPulse',
      'ForecastController.getForecast (wired)',
      'OpportunityBillingController.getBilling (wired)',
      'OpportunityBillingController.retryBooking',
    ]);
  });

  it.each(imports.map((i) => [`${i.cls}.${i.method}`, i]))(
    '%s exists, @AuraEnabled, cacheable if wired',
    (_name, i) => {
      const source = apexSource(i.cls);
      expect(source).not.toBeNull();
      const annotation = auraAnnotation(source, i.method);
      expect(annotation).not.toBeNull();
      const cacheable = /cacheable\s*=\s*true/i.test(annotation);
      expect({ method: i.method, cacheable }).toEqual({ method: i.method, cacheable: i.wired });
    },
  );

  it('tells a missing or non-cacheable method apart (the check can fail)', () => {
    const src =
      'public with sharing class C {\n  @AuraEnabled\n  public static Map<String, Object> write(Id x) {}\n  @AuraEnabled(cacheable=true)\n  public static Object read(Id x) {}\n}';
    expect(auraAnnotation(src, 'write')).toBe('@AuraEnabled');
    expect(auraAnnotation(src, 'read')).toBe('@AuraEnabled(cacheable=true)');
    expect(auraAnnotation(src, 'missing')).toBeNull();
  });

  it('imports only custom fields that the package defines', () => {
    for (const file of lwcJs) {
      for (const [, object, fieldName] of fs
        .readFileSync(file, 'utf8')
        .matchAll(/'@salesforce\/schema\/(\w+)\.(\w+__c)'/g)) {
        expect(
          fs.existsSync(path.join(FORCE_APP, 'main/default/objects', object, 'fields', `${fieldName}.field-meta.xml`)),
        ).toBe(true);
      }
    }
  });
});

describe('record page components', () => {
  const meta = (name) =>
    readXml(path.join(FORCE_APP, 'main/default/lwc', name, `${name}.js-meta.xml`)).LightningComponentBundle;

  it.each([
    ['accountFinancialPulse', 'Account'],
    ['opportunityBilling', 'Opportunity'],
  ])('%s is exposed on %s record pages', (name, object) => {
    const bundle = meta(name);
    expect(bundle.isExposed).toBe('true');
    expect(bundle.targets.target).toEqual(['lightning__RecordPage']);
    const config = bundle.targetConfigs.targetConfig.find((c) => c['@_targets'] === 'lightning__RecordPage');
    expect(config.objects.object).toEqual([object]);
  });

  it('lets App Builder choose how many invoices and payments the pulse lists', () => {
    const config = meta('accountFinancialPulse').targetConfigs.targetConfig[0];
    const props = Object.fromEntries(config.property.map((p) => [p['@_name'], p]));
    for (const name of ['invoicesToShow', 'paymentsToShow']) {
      expect(props[name]).toMatchObject({ '@_type': 'Integer', '@_default': '5', '@_min': '1', '@_max': '50' });
      expect(
        fs.readFileSync(
          path.join(FORCE_APP, 'main/default/lwc/accountFinancialPulse/accountFinancialPulse.js'),
          'utf8',
        ),
      ).toMatch(new RegExp(`@api ${name} = 5;`));
    }
  });

  it('keeps the helpers private to the package', () => {
    const helpers = [
      'agingBar',
      'closeloopFormat',
      'errorPanel',
      'forecastChart',
      'forecastPeriods',
      'forecastTable',
      'invoiceList',
      'ldsUtils',
      'paymentList',
    ];
    for (const name of helpers) {
      expect({ name, isExposed: meta(name).isExposed }).toEqual({ name, isExposed: 'false' });
    }
  });
});

describe('app and home page components', () => {
  const bundle = readXml(
    path.join(FORCE_APP, 'main/default/lwc/forecastVsActual/forecastVsActual.js-meta.xml'),
  ).LightningComponentBundle;
  const js = fs.readFileSync(path.join(FORCE_APP, 'main/default/lwc/forecastVsActual/forecastVsActual.js'), 'utf8');

  it('puts forecastVsActual on App and Home pages only, never on a record page', () => {
    expect(bundle.isExposed).toBe('true');
    expect(bundle.masterLabel).toBe('Closeloop Forecast vs Actual');
    expect(bundle.targets.target).toEqual(['lightning__AppPage', 'lightning__HomePage']);
    expect(bundle.targetConfigs.targetConfig.map((c) => c['@_targets'])).toEqual([
      'lightning__AppPage,lightning__HomePage',
    ]);
  });

  it('lets App Builder choose the starting grain, grouping and number of periods', () => {
    const props = Object.fromEntries(bundle.targetConfigs.targetConfig[0].property.map((p) => [p['@_name'], p]));
    expect(props.defaultGrain).toMatchObject({
      '@_type': 'String',
      '@_datasource': 'month,quarter',
      '@_default': 'month',
    });
    expect(props.defaultGroupBy).toMatchObject({
      '@_type': 'String',
      '@_datasource': 'period,owner,leadSource',
      '@_default': 'period',
    });
    expect(props.periodCount).toMatchObject({ '@_type': 'Integer', '@_default': '6', '@_min': '1', '@_max': '36' });
    // The component's own defaults match, for a page saved before a property existed.
    expect(js).toMatch(/@api defaultGrain = 'month';/);
    expect(js).toMatch(/@api defaultGroupBy = 'period';/);
    expect(js).toMatch(/@api periodCount = 6;/);
  });
});
