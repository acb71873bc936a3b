#!/usr/bin/python3
"""Builds the Closeloop Tryton database: an SQLite file ready to take sales and post invoices.

Usage (run by Debian's /usr/bin/python3, the only one that can import proteus):

    TRYTONPASSFILE=<file holding the admin password> \
        /usr/bin/python3 scripts/tryton/setup_database.py --output <dir>/closeloop-<key>.sqlite

The slow part (module activation, ~20 s) happens in a private temporary folder next to the
output; the finished file is then renamed into place, so a reader sees either no file or a
complete one. An exclusive lock on `<output>.lock` makes concurrent callers wait for one build
instead of each building their own; a caller that finds the output already there returns at once.

The database is named `closeloop` inside whatever folder trytond is pointed at: copy the output to
`<data dir>/closeloop.sqlite`.

Internally the script runs in two phases (two processes): `trytond-admin` activates the modules,
then this same script re-runs itself with `--configure` to do the company and accounting setup
through proteus with a direct trytond configuration (no network). Running the configuration in
its own process means every SQLite connection is closed before the file is published.
"""
import argparse
import datetime
import fcntl
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

DATABASE = 'closeloop'
ADMIN_EMAIL = 'admin@closeloop.invalid'
MODULES = [
    'sale',
    'account_invoice',
    'account_credit_limit',
    'sale_credit_limit',
    'account_payment',
    'account_dunning',
]
COMPANY_NAME = 'Closeloop Demo Inc.'
# Rates are relative to the company currency (1 USD = 0.92 EUR); enough for a multi-currency sale.
CURRENCIES = [
    ('USD', 'U.S. Dollar', '$', Decimal('1')),
    ('EUR', 'Euro', '€', Decimal('0.92')),
]
# (code, name, type, unit name in Tryton, list price in USD). Services that are sold by time use
# Tryton's "Hour" (rounding 0.01), so 1.5 hours is a valid quantity; "Unit" only takes integers.
DEMO_PRODUCTS = [
    ('CL-ONBOARD', 'Onboarding (per hour)', 'service', 'Hour', Decimal('150.00')),
    ('CL-LICENSE-STD', 'Closeloop license, Standard (per seat and year)', 'service', 'Unit',
        Decimal('1200.00')),
    ('CL-LICENSE-PRO', 'Closeloop license, Professional (per seat and year)', 'service', 'Unit',
        Decimal('2400.00')),
    ('CL-SUPPORT', 'Premium support (per hour)', 'service', 'Hour', Decimal('120.00')),
    ('CL-HW-GATEWAY', 'Closeloop hardware gateway', 'goods', 'Unit', Decimal('499.00')),
]


def log(message):
    print('[tryton setup] %s' % message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Phase 1: orchestration (lock, temporary folder, trytond-admin, publish)
# --------------------------------------------------------------------------------------------

def build(output):
    output = os.path.abspath(output)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    if not os.environ.get('TRYTONPASSFILE'):
        sys.exit('TRYTONPASSFILE must name a file holding the admin password')

    with open(output + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(output):
            log('%s is ready (built by another process)' % output)
            return
        started = time.monotonic()
        work = tempfile.mkdtemp(prefix='build-', dir=os.path.dirname(output))
        try:
            config_file = write_config(work)
            activate_modules(config_file)
            log('modules active after %.1f s' % (time.monotonic() - started))
            run([sys.executable, os.path.abspath(__file__), '--configure', config_file])
            os.replace(os.path.join(work, DATABASE + '.sqlite'), output)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        remove_stale_builds(output)
        log('built %s in %.1f s' % (output, time.monotonic() - started))


def write_config(folder):
    open(os.path.join(folder, DATABASE + '.sqlite'), 'w').close()  # trytond-admin won't create it
    path = os.path.join(folder, 'trytond.conf')
    with open(path, 'w') as f:
        f.write('[database]\nuri = sqlite://\npath = %s\n' % folder)
    return path


def activate_modules(config_file):
    run(['trytond-admin', '-c', config_file, '-d', DATABASE, '--email', ADMIN_EMAIL,
        '-u', *MODULES, '--activate-dependencies'])


def run(command):
    """Runs a step quietly; its output is shown only when it fails."""
    result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, close_fds=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        sys.exit('%s failed with exit code %d' % (command[0], result.returncode))


def remove_stale_builds(output):
    """Older builds (another year, another version of this script) are never used again."""
    folder = os.path.dirname(output)
    for path in glob.glob(os.path.join(folder, 'closeloop-*.sqlite')):
        if path != output:
            for stale in (path, path + '.lock'):
                try:
                    os.remove(stale)
                except FileNotFoundError:
                    pass


# --------------------------------------------------------------------------------------------
# Phase 2: company and accounting setup through proteus (direct trytond, no network)
# --------------------------------------------------------------------------------------------

def configure(config_file):
    from proteus import config

    started = time.monotonic()
    config.set_trytond(database=DATABASE, config_file=config_file)
    currencies = create_currencies()
    company = create_company(currencies['USD'])
    setup_admin_user(company)
    accounts = create_chart(company)
    today = datetime.date.today()
    # Last year too: invoices dated weeks back (overdue ones, early in January) need its periods.
    for year in (today.year - 1, today.year, today.year + 1):
        create_fiscal_year(company, year)
    category = create_account_category(accounts)
    set_default_payment_term()
    create_payment_method(company, accounts)
    create_demo_products(category)
    load_countries()
    log('company and accounting configured in %.1f s' % (time.monotonic() - started))


def create_currencies():
    from proteus import Model
    Currency = Model.get('currency.currency')
    created = {}
    for code, name, symbol, rate in CURRENCIES:
        currency = Currency(name=name, code=code, symbol=symbol, rounding=Decimal('0.01'))
        currency.rates.new(date=datetime.date(2000, 1, 1), rate=rate)
        currency.save()
        created[code] = currency
    return created


def create_company(currency):
    from proteus import Model, Wizard
    from proteus.config import get_config
    Party = Model.get('party.party')
    User = Model.get('res.user')

    # The party must be saved first: an unsaved linked record would be stored with a negative
    # id, which breaks every later login.
    party = Party(name=COMPANY_NAME)
    party.save()
    wizard = Wizard('company.company.config')
    wizard.execute('company')
    wizard.form.party = party
    wizard.form.currency = currency
    wizard.execute('add')
    # The user's context now carries the company; reload it for the following steps.
    get_config()._context = User.get_preferences(True, {})
    Company = Model.get('company.company')
    company, = Company.find([('party', '=', party.id)])
    return company


def setup_admin_user(company):
    """Attaches admin to the company and makes sure it holds every group the connector needs."""
    from proteus import Model
    from proteus.config import get_config
    User = Model.get('res.user')
    Group = Model.get('res.group')
    ModelData = Model.get('ir.model.data')

    admin = User(get_config().user)
    if company not in admin.companies:
        admin.companies.append(company)
    admin.company = company
    wanted = [
        ('sale', 'group_sale'),
        ('account', 'group_account'),
        ('account_credit_limit', 'group_credit_limit'),
    ]
    for module, fs_id in wanted:
        data, = ModelData.find([('module', '=', module), ('fs_id', '=', fs_id)])
        group = Group(data.db_id)
        if group not in admin.groups:
            admin.groups.append(group)
    admin.save()
    get_config()._context = User.get_preferences(True, {})


def create_chart(company):
    from proteus import Model, Wizard
    AccountTemplate = Model.get('account.account.template')
    Account = Model.get('account.account')
    ModelData = Model.get('ir.model.data')

    data, = ModelData.find([('module', '=', 'account'), ('fs_id', '=', 'account_template_root_en')])
    wizard = Wizard('account.create_chart')
    wizard.execute('account')
    wizard.form.account_template = AccountTemplate(data.db_id)
    wizard.form.company = company
    wizard.execute('create_account')

    def account(domain):
        found, = Account.find([('company', '=', company.id)] + domain, limit=1)
        return found

    accounts = {
        'receivable': account([('type.receivable', '=', True)]),
        'payable': account([('type.payable', '=', True)]),
        'revenue': account([('type.revenue', '=', True)]),
        'expense': account([('type.expense', '=', True)]),
        'cash': account([('name', '=', 'Main Cash')]),
    }
    # Without this step (default receivable/payable accounts) confirm "succeeds" but no invoice
    # is ever made.
    wizard.form.account_receivable = accounts['receivable']
    wizard.form.account_payable = accounts['payable']
    wizard.execute('create_properties')
    return accounts


def create_fiscal_year(company, year):
    from proteus import Model
    FiscalYear = Model.get('account.fiscalyear')
    Sequence = Model.get('ir.sequence')
    SequenceStrict = Model.get('ir.sequence.strict')
    SequenceType = Model.get('ir.sequence.type')

    move_type, = SequenceType.find([('name', '=', 'Account Move')], limit=1)
    invoice_type, = SequenceType.find([('name', '=', 'Invoice')], limit=1)
    move_sequence = Sequence(name=str(year), sequence_type=move_type, company=company)
    move_sequence.save()
    invoice_sequence = SequenceStrict(name=str(year), sequence_type=invoice_type, company=company,
        prefix='INV/%d/' % year, padding=5)
    invoice_sequence.save()

    fiscal_year = FiscalYear(name=str(year), company=company,
        start_date=datetime.date(year, 1, 1), end_date=datetime.date(year, 12, 31),
        post_move_sequence=move_sequence)
    sequences, = fiscal_year.invoice_sequences
    sequences.out_invoice_sequence = invoice_sequence
    sequences.in_invoice_sequence = invoice_sequence
    sequences.out_credit_note_sequence = invoice_sequence
    sequences.in_credit_note_sequence = invoice_sequence
    fiscal_year.save()
    # Without periods posting fails: "you must create a period for the date".
    fiscal_year.click('create_period')


def create_account_category(accounts):
    from proteus import Model
    Category = Model.get('product.category')
    category = Category(name='Closeloop sales', accounting=True,
        account_revenue=accounts['revenue'], account_expense=accounts['expense'])
    category.save()
    return category


def set_default_payment_term():
    from proteus import Model
    PaymentTerm = Model.get('account.invoice.payment_term')
    Configuration = Model.get('account.configuration')

    term = PaymentTerm(name='Net 30')
    line = term.lines.new(type='remainder')
    line.relativedeltas.new(days=30)
    term.save()
    configuration = Configuration(1)
    configuration.default_customer_payment_term = term
    configuration.save()


def create_payment_method(company, accounts):
    """What the invoice "pay" wizard needs: a journal and the account the money goes to."""
    from proteus import Model
    Journal = Model.get('account.journal')
    PaymentMethod = Model.get('account.invoice.payment.method')
    journal, = Journal.find([('type', '=', 'cash')], limit=1)
    PaymentMethod(name='Bank transfer', company=company, journal=journal,
        credit_account=accounts['cash'], debit_account=accounts['cash']).save()


def create_demo_products(category):
    from proteus import Model
    Template = Model.get('product.template')
    Uom = Model.get('product.uom')
    units = {}
    for code, name, type_, unit_name, price in DEMO_PRODUCTS:
        if unit_name not in units:
            units[unit_name], = Uom.find([('name', '=', unit_name)], limit=1)
        unit = units[unit_name]
        template = Template(name=name, type=type_, default_uom=unit, salable=True, sale_uom=unit,
            list_price=price, account_category=category)
        product, = template.products
        # product.product.code is computed in 6.0: writing `code` silently does nothing.
        product.suffix_code = code
        template.save()


def load_countries():
    """Debian's Tryton ships no countries; load ISO 3166 from pycountry when it is installed."""
    from proteus import Model
    try:
        import pycountry
    except ImportError:
        log('python3-pycountry is missing: customers will have no country')
        return
    Country = Model.get('country.country')
    Country.save([
        Country(code=c.alpha_2, code3=c.alpha_3, code_numeric=c.numeric,
            name=c.name.replace('\n', ' '))
        for c in pycountry.countries
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument('--output', help='path of the .sqlite file to build')
    target.add_argument('--configure', metavar='TRYTOND_CONF', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.configure:
        configure(args.configure)
    else:
        build(args.output)


if __name__ == '__main__':
    main()
