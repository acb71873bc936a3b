/**
 * source-deploy-retrieve converts force-app/ to the Metadata API format offline, exactly as
 * `sf project deploy start` would before sending it, and nothing in force-app/ is left behind.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { FORCE_APP, REPO, convertSource } = require('./lib/forceApp');

describe('force-app conversion', () => {
  let result;

  beforeAll(async () => {
    result = await convertSource();
  });

  it('claims every source file: none would be silently left out of a deploy', () => {
    expect(result.unclaimed.map((f) => path.relative(REPO, f))).toEqual([]);
  });

  it('produces the package: classes, trigger, fields, components, credentials, permission sets', () => {
    const byType = Object.fromEntries(result.types.map((t) => [t.name, t.members]));
    expect(Object.keys(byType).sort()).toEqual([
      'ApexClass',
      'ApexTrigger',
      'CustomField',
      'CustomPermission',
      'ExternalCredential',
      'LightningComponentBundle',
      'NamedCredential',
      'PermissionSet',
    ]);
    expect(byType.ApexTrigger).toEqual(['AccountTrigger', 'OpportunityTrigger']);
    expect(byType.ApexClass).toEqual(
      expect.arrayContaining([
        'AccountTriggerHandler',
        'CloseloopEventsQueueable',
        'CloseloopEventsQueueableTest',
        'ForecastController',
        'ForecastControllerTest',
      ]),
    );
    expect(byType.ApexClass).not.toContain('ClosedWonEventsQueueable');
    expect(byType.CustomField).toHaveLength(17);
    expect(byType.PermissionSet).toEqual([
      'Closeloop_Admin',
      'Closeloop_Integration',
      'Closeloop_Manager',
      'Closeloop_User',
    ]);
    expect(byType.CustomPermission).toEqual(['Closeloop_View_Forecast']);
    expect(byType.NamedCredential).toEqual(['Closeloop_Backend']);
    expect(byType.ExternalCredential).toEqual(['Closeloop_Backend_Auth']);
    expect(byType.LightningComponentBundle).toEqual(
      expect.arrayContaining([
        'accountFinancialPulse',
        'opportunityBilling',
        'forecastVsActual',
        'forecastChart',
        'forecastTable',
        'errorPanel',
        'ldsUtils',
      ]),
    );
  });

  it('leaves tests, jest config and mocks out of the package', () => {
    expect(result.output.filter((f) => /__tests__|jest|\.test\.js$/.test(f))).toEqual([]);
    expect(result.output).toContain(path.join('lwc', 'accountFinancialPulse', 'accountFinancialPulse.js'));
    expect(result.output).toContain(path.join('objects', 'Account.object'));
  });

  describe('on a broken copy (the check can fail)', () => {
    let dir;

    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'closeloop-broken-'));
      const classes = path.join(dir, 'main', 'default', 'classes');
      fs.mkdirSync(classes, { recursive: true });
      const source = path.join(FORCE_APP, 'main', 'default', 'classes');
      for (const f of ['CloseloopApi.cls', 'CloseloopApi.cls-meta.xml', 'AccountPulseController.cls']) {
        fs.copyFileSync(path.join(source, f), path.join(classes, f));
      }
    });

    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reports a class without its -meta.xml, which conversion drops silently', async () => {
      const broken = await convertSource(dir, path.join(dir, '.forceignore'));
      expect(broken.unclaimed.map((f) => path.basename(f))).toEqual(['AccountPulseController.cls']);
      const classes = broken.types.find((t) => t.name === 'ApexClass').members;
      expect(classes).toEqual(['CloseloopApi']);
    });

    it('reports a stray file that no metadata type claims', async () => {
      fs.writeFileSync(path.join(dir, 'main', 'default', 'classes', 'notes.txt'), 'not metadata');
      const broken = await convertSource(dir, path.join(dir, '.forceignore'));
      expect(broken.unclaimed.map((f) => path.basename(f))).toEqual(['AccountPulseController.cls', 'notes.txt']);
    });
  });
});
