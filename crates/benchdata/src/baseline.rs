//! The baseline: the same records as plain rows in a SQLite file, and the same aggregation as
//! plain SQL `GROUP BY`s over them (per merchant, currency and tax rate: net and tax; per
//! payment type: amounts; fees; payouts; tips). Amounts are stored as integer minor units,
//! which SQLite sums exactly and fastest; there is no index beyond the rowid.
//!
//! Loading is not timed; [`Baseline::group_by`] (the queries, all result rows fetched) is.

use crate::figures::{self, Figures};
use crate::generate::{MerchantDay, minor};
use domain::commerce::{CommerceEnum, PaymentStatus};
use domain::mapping::MappingSettings;
use domain::money::Currency;
use rust_decimal::Decimal;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, QueryBuilder, Sqlite, SqliteConnection};
use std::str::FromStr;

const SCHEMA: &[&str] = &[
    "DROP TABLE IF EXISTS orders",
    "DROP TABLE IF EXISTS order_lines",
    "DROP TABLE IF EXISTS payments",
    "DROP TABLE IF EXISTS transactions",
    "CREATE TABLE orders (merchant INTEGER NOT NULL, id TEXT NOT NULL, currency TEXT NOT NULL,
        created_date TEXT NOT NULL, total_amount INTEGER NOT NULL, total_gratuity INTEGER NOT NULL)",
    "CREATE TABLE order_lines (merchant INTEGER NOT NULL, order_id TEXT NOT NULL, id TEXT NOT NULL,
        currency TEXT NOT NULL, tax_percentage TEXT NOT NULL, total_amount INTEGER NOT NULL,
        total_tax_amount INTEGER NOT NULL)",
    "CREATE TABLE payments (merchant INTEGER NOT NULL, id TEXT NOT NULL, currency TEXT NOT NULL,
        type TEXT NOT NULL, status TEXT NOT NULL, amount INTEGER NOT NULL)",
    "CREATE TABLE transactions (merchant INTEGER NOT NULL, id TEXT NOT NULL, currency TEXT NOT NULL,
        type TEXT NOT NULL, total_amount INTEGER NOT NULL)",
];

/// Sales lines: a refunded line (negative total) is on the refunds side, as in the engine.
const LINES: &str = "SELECT merchant, currency, total_amount < 0, tax_percentage,
    SUM(total_amount - total_tax_amount), SUM(total_tax_amount)
    FROM order_lines GROUP BY merchant, currency, total_amount < 0, tax_percentage";
const TIPS: &str = "SELECT merchant, currency, total_gratuity < 0, SUM(total_gratuity)
    FROM orders WHERE total_gratuity <> 0 GROUP BY merchant, currency, total_gratuity < 0";
const PAYMENTS: &str = "SELECT merchant, currency, type, amount < 0, SUM(amount)
    FROM payments WHERE status = 'Paid' GROUP BY merchant, currency, type, amount < 0";
/// `Payment` and `Refund` transactions repeat payments already counted.
const TRANSACTIONS: &str = "SELECT merchant, currency, type, SUM(ABS(total_amount))
    FROM transactions WHERE type IN ('PaymentFee', 'Payout')
    GROUP BY merchant, currency, type";

/// Rows inserted per statement while loading.
const CHUNK: usize = 400;

/// A value of a row to insert.
enum Cell {
    Int(i64),
    Text(String),
}

/// The SQLite file the baseline runs on.
pub struct Baseline {
    conn: SqliteConnection,
}

/// What the GROUP BYs return, as fetched.
#[derive(Debug, Default)]
pub struct Rows {
    /// merchant, currency, refund side, tax %, Σ net, Σ tax.
    pub lines: Vec<(i64, String, bool, String, i64, i64)>,
    /// merchant, currency, refund side, Σ tips.
    pub tips: Vec<(i64, String, bool, i64)>,
    /// merchant, currency, payment type, refund side, Σ amount.
    pub payments: Vec<(i64, String, String, bool, i64)>,
    /// merchant, currency, transaction type, Σ |amount|.
    pub transactions: Vec<(i64, String, String, i64)>,
}

impl Baseline {
    /// Opens (creating) the SQLite database at `url` and lays out empty tables.
    pub async fn create(url: &str) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            // Loading speed only: the file is scratch.
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off);
        let mut conn = options.connect().await?;
        for statement in SCHEMA {
            sqlx::query(statement).execute(&mut conn).await?;
        }
        Ok(Baseline { conn })
    }

    /// Inserts the days' records as rows (not timed).
    pub async fn load(
        &mut self,
        days: impl Iterator<Item = MerchantDay>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.conn.begin().await?;
        let mut tables = Tables::default();
        for day in days {
            tables.push(&day);
            if tables.len() >= 50_000 {
                tables.flush(&mut tx).await?;
            }
        }
        tables.flush(&mut tx).await?;
        tx.commit().await?;
        sqlx::query("ANALYZE").execute(&mut self.conn).await?;
        Ok(())
    }

    /// The timed part: every GROUP BY, every result row fetched.
    pub async fn group_by(&mut self) -> Result<Rows, sqlx::Error> {
        let c = &mut self.conn;
        Ok(Rows {
            lines: sqlx::query_as(LINES).fetch_all(&mut *c).await?,
            tips: sqlx::query_as(TIPS).fetch_all(&mut *c).await?,
            payments: sqlx::query_as(PAYMENTS).fetch_all(&mut *c).await?,
            transactions: sqlx::query_as(TRANSACTIONS).fetch_all(&mut *c).await?,
        })
    }
}

impl Rows {
    /// The figures the engine's documents should show for these sums, under `settings`.
    pub fn figures(&self, s: &MappingSettings) -> Figures {
        let mut f = Figures::default();
        let amount = |cur: &str, v: i64| {
            let decimals = Currency::from_code(cur).map_or(2, |c| c.decimals());
            Decimal::new(v, decimals)
        };
        // Sales go on the invoice, refunds on the credit note (shown positive there).
        let side = |refund: bool| {
            if refund {
                ("creditNote", -Decimal::ONE, s.accounts.refund.as_str())
            } else {
                ("invoice", Decimal::ONE, s.accounts.sales.as_str())
            }
        };
        for (m, cur, refund, pct, net, tax) in &self.lines {
            let (kind, sign, account) = side(*refund);
            let rate = Decimal::from_str(pct)
                .ok()
                .and_then(|p| s.tax.rate_for_percentage(p))
                .unwrap_or("-");
            let m = *m as u32;
            f.add(
                m,
                figures::sales(cur, kind, account, rate),
                sign * amount(cur, *net),
            );
            f.add(m, figures::total(cur, kind), sign * amount(cur, net + tax));
        }
        for (m, cur, refund, tips) in &self.tips {
            let (kind, sign, _) = side(*refund);
            let m = *m as u32;
            f.add(m, figures::tips(cur, kind), sign * amount(cur, *tips));
            f.add(m, figures::total(cur, kind), sign * amount(cur, *tips));
        }
        for (m, cur, payment_type, refund, sum) in &self.payments {
            let kind = if *refund { "refund" } else { "payment" };
            let account = domain::commerce::PaymentType::parse(payment_type)
                .and_then(|t| s.payment_account(t))
                .unwrap_or("-");
            let name = figures::money(cur, kind, account);
            f.add(*m as u32, name, amount(cur, *sum).abs());
        }
        for (m, cur, kind, sum) in &self.transactions {
            let name = match kind.as_str() {
                "PaymentFee" => figures::fees(cur),
                _ => figures::payouts(cur),
            };
            f.add(*m as u32, name, amount(cur, *sum));
        }
        f.without_zeros()
    }
}

/// Rows waiting to be inserted, per table.
#[derive(Default)]
struct Tables {
    orders: Vec<Vec<Cell>>,
    lines: Vec<Vec<Cell>>,
    payments: Vec<Vec<Cell>>,
    transactions: Vec<Vec<Cell>>,
}

impl Tables {
    fn len(&self) -> usize {
        self.orders.len() + self.lines.len() + self.payments.len() + self.transactions.len()
    }

    /// The day's records as rows, amounts in minor units.
    fn push(&mut self, day: &MerchantDay) {
        use Cell::{Int, Text};
        let merchant = i64::from(day.merchant);
        let m = || Int(merchant);
        let r = &day.records;
        for o in &r.orders {
            let cur = o.currency.code();
            self.orders.push(vec![
                m(),
                Text(o.id.clone()),
                Text(cur.to_owned()),
                Text(o.created_date.to_string()),
                Int(minor(o.total_amount)),
                Int(o.total_gratuity.map_or(0, minor)),
            ]);
            for l in &o.order_line_items {
                let pct = l.tax_percentage.unwrap_or_default().normalize();
                self.lines.push(vec![
                    m(),
                    Text(o.id.clone()),
                    Text(l.id.clone()),
                    Text(cur.to_owned()),
                    Text(pct.to_string()),
                    Int(minor(l.total_amount)),
                    Int(l.total_tax_amount.map_or(0, minor)),
                ]);
            }
        }
        for p in &r.payments {
            self.payments.push(vec![
                m(),
                Text(p.id.clone()),
                Text(p.currency.code().to_owned()),
                Text(p.payment_type.map_or("Unknown", |t| t.as_str()).to_owned()),
                Text(
                    p.status
                        .unwrap_or(PaymentStatus::Unknown)
                        .as_str()
                        .to_owned(),
                ),
                Int(minor(p.amount)),
            ]);
        }
        for t in &r.transactions {
            self.transactions.push(vec![
                m(),
                Text(t.id.clone()),
                Text(t.currency.code().to_owned()),
                Text(t.transaction_type.as_str().to_owned()),
                Int(minor(t.total_amount)),
            ]);
        }
    }

    async fn flush(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        insert(conn, "orders", &mut self.orders).await?;
        insert(conn, "order_lines", &mut self.lines).await?;
        insert(conn, "payments", &mut self.payments).await?;
        insert(conn, "transactions", &mut self.transactions).await
    }
}

/// Inserts and empties `rows`, [`CHUNK`] rows per statement.
async fn insert(
    conn: &mut SqliteConnection,
    table: &str,
    rows: &mut Vec<Vec<Cell>>,
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(CHUNK) {
        let mut q = QueryBuilder::<Sqlite>::new(format!("INSERT INTO {table} "));
        q.push_values(chunk, |mut b, row| {
            for cell in row {
                match cell {
                    Cell::Int(v) => b.push_bind(*v),
                    Cell::Text(t) => b.push_bind(t.clone()),
                };
            }
        });
        q.build().execute(&mut *conn).await?;
    }
    rows.clear();
    Ok(())
}
