//! The dry run: what the sync would write for some commerce data under a configuration.
//!
//! One function, [`preview`], used by both `commerce-sync preview` and
//! `POST /companies/{companyId}/sync/commerce/preview`: it resolves the document into the
//! engine's settings, cuts `[from, to)` into the merchant's days (each from `syncHour` to the
//! next day's `syncHour` in its IANA time zone, so DST days are 23 or 25 hours long), selects
//! each day's records by `createdDate`, and maps the days in order as the daily sync would.
//!
//! Every problem is reported, each naming which input it is in ([`Part`]) and where (a JSON
//! pointer into that input), so the CLI can name the file and the API the field.
//!
//! Decisions: deletes (bodies with only `id`) have no date and nothing was posted before a
//! preview, so they are skipped with a warning; records created outside `[from, to)` are
//! skipped with one warning per dataset; at most [`MAX_DAYS`] days per preview.

use crate::commerce::{
    CommerceChange, CommerceEnum, CommerceRecord, Order, Payment, Product, RecordError,
    Transaction, parse_orders, parse_payments, parse_products, parse_transactions,
};
use crate::config::{ConfigDocument, ConfigError, codes, payment_account_key};
use crate::documents::{Document, Warning};
use crate::mapping::{
    MappingError, MappingSettings, OutputMode, PeriodRecords, PeriodRef, SyncedState, map_period,
};
use crate::money::Rounding;
use crate::period::{Frequency, PeriodError, Schedule, check_date};
use crate::reference_data::ReferenceData;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

/// The longest preview, in days (a year and a day covers any calendar year).
pub const MAX_DAYS: i32 = 366;

/// Which input a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Part {
    /// The configuration document (pointer into its current shape).
    Config,
    /// The commerce data (pointer into `{orders, payments, transactions}`).
    Data,
    /// The request itself: `from`, `to`, `timeZone`, `platform`.
    Request,
}

/// One problem with a preview's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewError {
    pub part: Part,
    pub pointer: String,
    pub code: String,
    pub message: String,
}

impl PreviewError {
    pub fn new(part: Part, pointer: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            part,
            pointer: pointer.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }

    fn config(e: ConfigError) -> Self {
        Self::new(Part::Config, &e.pointer, e.code, e.message)
    }

    fn data(e: RecordError) -> Self {
        Self::new(Part::Data, &e.pointer, e.kind.as_str(), e.message)
    }
}

/// The accounting platform the documents are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Xero,
    QuickBooks,
    Hledger,
}

impl Platform {
    /// `xero`, `quickbooks` or `hledger` (also the platform keys `gbol`, `qhyg`, `hldg`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "xero" | "gbol" => Some(Self::Xero),
            "quickbooks" | "qhyg" => Some(Self::QuickBooks),
            "hledger" | "hldg" => Some(Self::Hledger),
            _ => None,
        }
    }

    /// Tax per line: both Xero and QuickBooks round half away from zero at 2 dp.
    pub fn rounding(self) -> Rounding {
        Rounding::HalfUp
    }

    /// hledger holds journal entries only.
    pub fn journal_only(self) -> bool {
        self == Self::Hledger
    }
}

/// What to preview.
#[derive(Debug, Clone)]
pub struct PreviewInput<'a> {
    pub document: &'a ConfigDocument,
    pub reference: &'a ReferenceData,
    /// First merchant day (inclusive).
    pub from: Date,
    /// Day after the last (exclusive): its `syncHour` closes the preview.
    pub to: Date,
    /// Overrides the document's `schedule.timeZone`.
    pub time_zone: Option<&'a str>,
    pub platform: Option<Platform>,
    /// `{"orders": [...], "payments": [...], "transactions": [...], "products"?: [...]}`.
    pub data: &'a Value,
}

/// The documents the sync would write, and what it would tell the merchant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preview {
    pub documents: Vec<Document>,
    pub warnings: Vec<Warning>,
}

/// The commerce data of a preview, parsed.
struct Data {
    orders: Vec<Order>,
    payments: Vec<Payment>,
    transactions: Vec<Transaction>,
    products: Vec<Product>,
    warnings: Vec<Warning>,
}

/// Maps `input.data` day by day under `input.document`; every problem named, or the documents.
pub fn preview(input: &PreviewInput) -> Result<Preview, Vec<PreviewError>> {
    let mut errors = Vec::new();
    let settings = match MappingSettings::from_config(input.document, input.reference) {
        Ok(mut s) => {
            if let Some(platform) = input.platform {
                s.rounding = platform.rounding();
                if platform.journal_only() && s.output != OutputMode::Journal {
                    errors.push(PreviewError::new(
                        Part::Config,
                        "/configuration/mapSettings/outputFormat",
                        codes::OUTPUT_FORMAT_INVALID,
                        "hledger holds journal entries only: set outputFormat to JournalEntry",
                    ));
                }
            }
            Some(s)
        }
        Err(e) => {
            errors.extend(e.into_iter().map(PreviewError::config));
            None
        }
    };
    let schedule = schedule(input, &mut errors);
    let data = parse_data(input.data, &mut errors);
    let (Some(settings), Some(schedule), Some(data), true) =
        (settings, schedule, data, errors.is_empty())
    else {
        return Err(errors);
    };
    map_days(input, &settings, &schedule, data).map_err(|e| vec![e])
}

/// The merchant's day boundaries; the range checked.
fn schedule(input: &PreviewInput, errors: &mut Vec<PreviewError>) -> Option<Schedule> {
    let mut in_range = true;
    for (at, day) in [("/from", input.from), ("/to", input.to)] {
        if let Err(e) = check_date(day) {
            in_range = false;
            let message = format!("`{}`: {e}", &at[1..]);
            errors.push(PreviewError::new(
                Part::Request,
                at,
                codes::DATE_OUT_OF_RANGE,
                message,
            ));
        }
    }
    if !in_range {
        // Nothing below is meaningful for dates the schedule arithmetic refuses.
        return None;
    }
    let days = (input.to - input.from).get_days();
    if days < 1 {
        errors.push(PreviewError::new(
            Part::Request,
            "/to",
            "preview.empty_range",
            format!("`to` ({}) must be after `from` ({})", input.to, input.from),
        ));
    } else if days > MAX_DAYS {
        errors.push(PreviewError::new(
            Part::Request,
            "/to",
            "preview.range_too_long",
            format!("a preview covers at most {MAX_DAYS} days; this one asks for {days}"),
        ));
    }
    let s = input.document.schedule.as_ref();
    let hour = s.and_then(|s| s.sync_hour).unwrap_or(0);
    let zone = input
        .time_zone
        .or_else(|| s.and_then(|s| s.time_zone.as_deref()));
    match Schedule::new(input.from, hour, zone, Frequency::Daily) {
        Ok(schedule) => Some(schedule),
        Err(PeriodError::UnknownTimeZone(name)) => {
            let (part, at) = match input.time_zone {
                Some(_) => (Part::Request, "/timeZone"),
                None => (Part::Config, "/schedule/timeZone"),
            };
            let message =
                format!("Time zone {name:?} is unknown; use an IANA name such as Europe/London");
            errors.push(PreviewError::new(
                part,
                at,
                codes::TIME_ZONE_UNKNOWN,
                message,
            ));
            None
        }
        Err(e) => {
            let at = "/schedule/syncHour";
            errors.push(PreviewError::new(
                Part::Config,
                at,
                codes::SYNC_HOUR_OUT_OF_RANGE,
                e.to_string(),
            ));
            None
        }
    }
}

fn parse_data(data: &Value, errors: &mut Vec<PreviewError>) -> Option<Data> {
    let Some(object) = data.as_object() else {
        let message =
            "the data must be a JSON object with `orders`, `payments` and `transactions` arrays";
        errors.push(PreviewError::new(Part::Data, "", "WrongType", message));
        return None;
    };
    let empty = Value::Array(Vec::new());
    let get = |key: &str| object.get(key).filter(|v| !v.is_null()).unwrap_or(&empty);
    let before = errors.len();
    let mut warnings = Vec::new();
    let (orders, e) = parse_orders(get("orders"), "/orders");
    errors.extend(e.into_iter().map(PreviewError::data));
    let (payments, e) = parse_payments(get("payments"), "/payments");
    errors.extend(e.into_iter().map(PreviewError::data));
    let (transactions, e) = parse_transactions(get("transactions"), "/transactions");
    errors.extend(e.into_iter().map(PreviewError::data));
    let (products, e) = parse_products(get("products"), "/products");
    errors.extend(e.into_iter().map(PreviewError::data));
    let data = Data {
        orders: upserts(orders, &mut warnings),
        payments: upserts(payments, &mut warnings),
        transactions: upserts(transactions, &mut warnings),
        products: upserts(products, &mut warnings),
        warnings,
    };
    (errors.len() == before).then_some(data)
}

fn upserts<T: CommerceRecord>(
    parsed: Vec<crate::commerce::Parsed<T>>,
    warnings: &mut Vec<Warning>,
) -> Vec<T> {
    let mut kept = Vec::new();
    for p in parsed {
        match p.change {
            CommerceChange::Upsert(r) => kept.push(r),
            CommerceChange::Delete(id) => warnings.push(Warning {
                code: "deleteSkipped".into(),
                message: format!(
                    "{} record {id} is a delete: nothing was posted before a preview, so there is nothing to reverse",
                    T::KIND.json_key()
                ),
                record_id: Some(id),
            }),
        }
    }
    kept
}

fn map_days(
    input: &PreviewInput,
    settings: &MappingSettings,
    schedule: &Schedule,
    data: Data,
) -> Result<Preview, PreviewError> {
    // `from` and `to` were checked against the supported dates, so this error is theoretical;
    // it is still an answer, not a panic.
    let out_of_range = |e: PeriodError| {
        PreviewError::new(
            Part::Request,
            "/to",
            codes::DATE_OUT_OF_RANGE,
            e.to_string(),
        )
    };
    let company = input
        .document
        .company_id
        .map_or_else(|| "preview".to_owned(), |id| id.to_string());
    let (start, end) = (
        schedule.sync_hour_on(input.from).map_err(out_of_range)?,
        schedule.sync_hour_on(input.to).map_err(out_of_range)?,
    );
    let mut warnings = data.warnings;
    outside(&data.orders, start, end, &mut warnings);
    outside(&data.payments, start, end, &mut warnings);
    outside(&data.transactions, start, end, &mut warnings);
    let mut documents = Vec::new();
    let mut state = SyncedState::default();
    let mut day = input.from;
    while day < input.to {
        let next = day
            .tomorrow()
            .map_err(|_| out_of_range(PeriodError::OutOfRange(day.to_string())))?;
        let (from, to) = (
            schedule.sync_hour_on(day).map_err(out_of_range)?,
            schedule.sync_hour_on(next).map_err(out_of_range)?,
        );
        let within = |t: Option<jiff::Timestamp>| t.is_some_and(|t| from <= t && t < to);
        let records = PeriodRecords {
            orders: pick(&data.orders, within),
            payments: pick(&data.payments, within),
            transactions: pick(&data.transactions, within),
            products: data.products.clone(),
            deleted: Vec::new(),
            payment_types: Default::default(),
        };
        let output = map_period(settings, &PeriodRef::day(&company, day), &records, &state)
            .map_err(mapping_error)?;
        documents.extend(output.documents);
        warnings.extend(output.warnings);
        state = output.state;
        day = next;
    }
    Ok(Preview {
        documents,
        warnings,
    })
}

fn pick<T: CommerceRecord + Clone>(
    records: &[T],
    within: impl Fn(Option<jiff::Timestamp>) -> bool,
) -> Vec<T> {
    let chosen = records.iter().filter(|r| within(r.created_date()));
    chosen.cloned().collect()
}

fn outside<T: CommerceRecord>(
    records: &[T],
    start: jiff::Timestamp,
    end: jiff::Timestamp,
    warnings: &mut Vec<Warning>,
) {
    let out = records
        .iter()
        .filter(|r| r.created_date().is_none_or(|t| t < start || t >= end))
        .count();
    if out > 0 {
        warnings.push(Warning {
            code: "outsidePeriod".into(),
            message: format!(
                "{out} {} created outside [{start}, {end}) are not in this preview",
                T::KIND.json_key()
            ),
            record_id: None,
        });
    }
}

/// A mapping failure is a configuration problem; name the field to fix where there is one.
fn mapping_error(e: MappingError) -> PreviewError {
    let message = e.to_string();
    let (at, code) = match &e {
        MappingError::UnmappedPaymentType { payment_type, .. } => {
            let key = payment_account_key(payment_type.as_str());
            let at = format!("/configuration/payments/accounts/{key}/selectedAccountId");
            (at, codes::PAYMENT_TYPE_UNMAPPED)
        }
        MappingError::UnmappedTaxRate { percentage, .. } => {
            let key = percentage.map_or_else(String::new, |p| p.normalize().to_string());
            (
                format!("/configuration/sales/taxRates/{key}"),
                codes::TAX_RATE_MISSING,
            )
        }
        MappingError::MissingAccount { .. } => (String::new(), codes::ACCOUNT_REQUIRED),
        MappingError::PaymentsNeedSubmittedInvoices => (
            "/configuration/sales/invoiceStatus/selectedInvoiceStatus".into(),
            codes::PAYMENTS_WITH_DRAFT_INVOICES,
        ),
        MappingError::PayoutAccountIsClearing => (
            "/configuration/payments/accounts/payout/selectedAccountId".into(),
            codes::CARD_SAME_AS_PAYOUT,
        ),
        MappingError::Overflow { .. } => {
            return PreviewError::new(Part::Data, "", "mapping.overflow", message);
        }
    };
    PreviewError::new(Part::Config, &at, code, message)
}

#[cfg(test)]
#[path = "preview_tests.rs"]
mod tests;
