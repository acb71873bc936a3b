/**
 * The sandbox ERP's books: an in-process ERP kept in the same store, so the product runs with no
 * ERP account. It is deliberately NOT tied to the backend's tables: it is "the other system".
 */
export default `
CREATE TABLE sandbox_customers (
  id           serial PRIMARY KEY,
  name         text NOT NULL,
  external_ref text,
  street       text,
  city         text,
  postal_code  text,
  country_code text,
  phone        text,
  website      text,
  credit_limit numeric,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_customers_external_ref ON sandbox_customers (external_ref);

CREATE TABLE sandbox_products (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  name       text NOT NULL,
  list_price numeric NOT NULL,
  -- Quantities are rounded to this step by the ERP's unit (1 for pieces, 0.01 for hours).
  unit_step  numeric(10, 4) NOT NULL DEFAULT 1,
  active     boolean NOT NULL DEFAULT true
);

CREATE TABLE sandbox_sales (
  id          serial PRIMARY KEY,
  reference   text NOT NULL,
  customer_id integer NOT NULL REFERENCES sandbox_customers (id),
  state       text NOT NULL,
  currency    text NOT NULL,
  sale_date   date NOT NULL,
  description text NOT NULL DEFAULT '',
  untaxed     numeric NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_sales_reference ON sandbox_sales (reference);

CREATE TABLE sandbox_sale_lines (
  id           serial PRIMARY KEY,
  sale_id      integer NOT NULL REFERENCES sandbox_sales (id),
  product_code text NOT NULL,
  description  text NOT NULL,
  quantity     numeric NOT NULL,
  unit_price   numeric NOT NULL,
  amount       numeric NOT NULL
);

CREATE SEQUENCE sandbox_invoice_number;
CREATE TABLE sandbox_invoices (
  id           serial PRIMARY KEY,
  sale_id      integer NOT NULL REFERENCES sandbox_sales (id),
  customer_id  integer NOT NULL REFERENCES sandbox_customers (id),
  number       text UNIQUE,
  state        text NOT NULL,
  currency     text NOT NULL,
  untaxed      numeric NOT NULL,
  total        numeric NOT NULL,
  amount_paid  numeric NOT NULL DEFAULT 0,
  invoice_date date,
  due_date     date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_payments (
  id         serial PRIMARY KEY,
  invoice_id integer NOT NULL REFERENCES sandbox_invoices (id),
  amount     numeric NOT NULL,
  currency   text NOT NULL,
  paid_on    date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
`;
