//! The form of each mapping stage, read off the configuration document offered: every field
//! is named by its JSON pointer, holds only the options the document offers for it, and is
//! written back into the merchant's draft at that pointer. So the pages can only choose
//! what the API would accept, and every validation message finds its field by pointer.

use super::stages::Stage;
use crate::pages::text::Texts;
use domain::config::error::pointer;
use domain::config::{ConfigAccount, ConfigDocument, KeyedMap};
use serde_json::{Map, Value};

/// What a record the merchant may create from the page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creatable {
    Account,
    Customer,
    Supplier,
}

impl Creatable {
    pub fn data_type(self) -> &'static str {
        match self {
            Creatable::Account => "accounts",
            Creatable::Customer => "customers",
            Creatable::Supplier => "suppliers",
        }
    }
}

#[derive(Debug, Clone)]
pub enum Control {
    /// One of `options` (value, label); empty means "not chosen".
    Select {
        options: Vec<(String, String)>,
        selected: Option<String>,
        create: Option<Creatable>,
    },
    Radio {
        options: Vec<(String, String)>,
        selected: String,
    },
    Checkbox(bool),
    /// Several of `options`.
    Checkboxes {
        options: Vec<(String, String)>,
        selected: Vec<String>,
    },
    Date(String),
    /// An hour of the day, 0–23.
    Hour(Option<i64>),
    TimeZone(Option<String>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub pointer: String,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub control: Control,
}

/// A group of fields under a heading; `table` lays them out as rows (the tax rates).
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: Option<String>,
    pub hint: Option<String>,
    pub table: Option<(String, String)>,
    pub fields: Vec<Field>,
}

/// The sections of one mapping stage. `configured`: the output mode is fixed by now.
pub fn sections(
    stage: Stage,
    doc: &ConfigDocument,
    t: &Texts,
    platform: &str,
    configured: bool,
) -> Vec<Section> {
    let c = &doc.configuration;
    match stage {
        Stage::Sales => {
            let sales = c.sales.clone().unwrap_or_default();
            let mut out = vec![Section {
                heading: None,
                hint: None,
                table: None,
                fields: vec![checkbox(
                    "/configuration/sales/syncSales",
                    t.t("sales.sync"),
                    sales.sync_sales,
                )],
            }];
            if !configured {
                let selected = c
                    .map_settings
                    .as_ref()
                    .and_then(|m| m.output_format.clone())
                    .unwrap_or_default();
                out[0].fields.push(Field {
                    pointer: "/configuration/mapSettings/outputFormat".into(),
                    label: t.t("sales.output"),
                    hint: Some(t.t("output.fixed")),
                    required: true,
                    control: Control::Radio {
                        options: vec![
                            (String::new(), t.t("output.Documents")),
                            ("JournalEntry".into(), t.t("output.JournalEntry")),
                        ],
                        selected,
                    },
                });
            }
            out.push(accounts_section(
                "/configuration/sales/accounts",
                sales.accounts.as_ref(),
                t.t("sales.accounts"),
                t,
            ));
            if let Some(rates) = sales.tax_rates.as_ref().filter(|r| !r.is_empty()) {
                out.push(Section {
                    heading: Some(t.t("sales.taxRates")),
                    hint: Some(t.f("sales.taxRatesHelp", &[("platform", platform)])),
                    table: Some((
                        t.t("tax.yourRate"),
                        t.f("tax.booksRate", &[("platform", platform)]),
                    )),
                    fields: rates
                        .iter()
                        .map(|(key, rate)| Field {
                            pointer: pointer([
                                "configuration",
                                "sales",
                                "taxRates",
                                key,
                                "selectedTaxRateId",
                            ]),
                            label: t.f("tax.rowLabel", &[("rate", key)]),
                            hint: None,
                            required: true,
                            control: select(
                                rate.tax_rate_options.iter().flatten().map(|o| {
                                    (o.id.clone(), o.name.clone().unwrap_or_else(|| o.id.clone()))
                                }),
                                rate.selected_tax_rate_id.clone(),
                                None,
                            ),
                        })
                        .collect(),
                });
            }
            let mut more = Vec::new();
            if let Some(status) = &sales.invoice_status {
                more.push(Field {
                    pointer: "/configuration/sales/invoiceStatus/selectedInvoiceStatus".into(),
                    label: t.t("sales.invoiceStatus"),
                    hint: None,
                    required: true,
                    control: select(
                        status.invoice_status_options.iter().flatten().map(|s| {
                            (
                                s.clone(),
                                t.maybe(&format!("status.{s}")).unwrap_or_else(|| s.clone()),
                            )
                        }),
                        status.selected_invoice_status.clone(),
                        None,
                    ),
                });
            }
            if let Some(zero) = sales.new_tax_rates.as_ref().filter(|z| {
                z.default_zero_tax_rate_options
                    .as_ref()
                    .is_some_and(|o| !o.is_empty())
            }) {
                more.push(Field {
                    pointer: "/configuration/sales/newTaxRates/selectedDefaultZeroTaxRateId".into(),
                    label: t.t("sales.zeroRate"),
                    hint: None,
                    required: false,
                    control: select(
                        zero.default_zero_tax_rate_options
                            .iter()
                            .flatten()
                            .map(|o| {
                                (o.id.clone(), o.name.clone().unwrap_or_else(|| o.id.clone()))
                            }),
                        zero.selected_default_zero_tax_rate_id.clone(),
                        None,
                    ),
                });
            }
            if let Some(customer) = &sales.sales_customer {
                more.push(Field {
                    pointer: "/configuration/sales/salesCustomer/selectedCustomerId".into(),
                    label: t.t("sales.customer"),
                    hint: None,
                    required: true,
                    control: select(
                        customer.customer_options.iter().flatten().map(|o| {
                            (o.id.clone(), o.name.clone().unwrap_or_else(|| o.id.clone()))
                        }),
                        customer.selected_customer_id.clone(),
                        Some(Creatable::Customer),
                    ),
                });
            }
            if let Some(level) = sales
                .grouping
                .as_ref()
                .and_then(|g| g.grouping_levels.as_ref())
                .and_then(|l| l.invoice_level.as_ref())
                .filter(|l| l.group_by_options.as_ref().is_some_and(|o| !o.is_empty()))
            {
                more.push(Field {
                    pointer: "/configuration/sales/grouping/groupingLevels/invoiceLevel/selectedGroupByOptions".into(),
                    label: t.t("sales.grouping"),
                    hint: None,
                    required: false,
                    control: Control::Checkboxes {
                        options: level
                            .group_by_options
                            .iter()
                            .flatten()
                            .map(|o| (o.clone(), t.maybe(&format!("group.{o}")).unwrap_or_else(|| o.clone())))
                            .collect(),
                        selected: level.selected_group_by_options.clone().unwrap_or_default(),
                    },
                });
            }
            out.push(Section {
                heading: None,
                hint: None,
                table: None,
                fields: more,
            });
            out
        }
        Stage::Fees => {
            let fees = c.fees.clone().unwrap_or_default();
            let mut fields = vec![checkbox(
                "/configuration/fees/syncFees",
                t.t("fees.sync"),
                fees.sync_fees,
            )];
            if let Some(supplier) = &fees.fees_supplier {
                fields.push(Field {
                    pointer: "/configuration/fees/feesSupplier/selectedSupplierId".into(),
                    label: t.t("fees.supplier"),
                    hint: None,
                    required: false,
                    control: select(
                        supplier.supplier_options.iter().flatten().map(|o| {
                            (o.id.clone(), o.name.clone().unwrap_or_else(|| o.id.clone()))
                        }),
                        supplier.selected_supplier_id.clone(),
                        Some(Creatable::Supplier),
                    ),
                });
            }
            vec![
                Section {
                    heading: None,
                    hint: None,
                    table: None,
                    fields,
                },
                accounts_section(
                    "/configuration/fees/accounts",
                    fees.accounts.as_ref(),
                    t.t("fees.accounts"),
                    t,
                ),
            ]
        }
        Stage::Payments => {
            let payments = c.payments.clone().unwrap_or_default();
            let mut out = vec![
                Section {
                    heading: None,
                    hint: None,
                    table: None,
                    fields: vec![checkbox(
                        "/configuration/payments/syncPayments",
                        t.t("payments.sync"),
                        payments.sync_payments,
                    )],
                },
                Section {
                    hint: Some(t.t("payments.seenFirst")),
                    ..accounts_section(
                        "/configuration/payments/accounts",
                        payments.accounts.as_ref(),
                        t.t("payments.accounts"),
                        t,
                    )
                },
            ];
            if let Some(later) = c
                .new_payments
                .as_ref()
                .and_then(|p| p.accounts.as_ref())
                .filter(|a| !a.is_empty())
            {
                out.push(accounts_section(
                    "/configuration/newPayments/accounts",
                    Some(later),
                    t.t("payments.later"),
                    t,
                ));
            }
            out
        }
        Stage::Schedule => {
            let schedule = doc.schedule.clone().unwrap_or_default();
            let mut fields = vec![Field {
                pointer: "/schedule/startDate".into(),
                label: t.t("schedule.startDate"),
                hint: Some(t.t("schedule.startHint")),
                required: true,
                control: Control::Date(
                    schedule
                        .start_date
                        .as_deref()
                        .map(|d| d.get(..10).unwrap_or(d).to_owned())
                        .unwrap_or_default(),
                ),
            }];
            fields.push(Field {
                pointer: "/schedule/timeZone".into(),
                label: t.t("schedule.timeZone"),
                hint: Some(t.t("schedule.timeZoneHint")),
                required: true,
                control: Control::TimeZone(schedule.time_zone.clone()),
            });
            fields.push(Field {
                pointer: "/schedule/syncHour".into(),
                label: t.t("schedule.syncHour"),
                hint: None,
                required: true,
                control: Control::Hour(schedule.sync_hour),
            });
            if let Some(options) = schedule.frequency_options.as_ref().filter(|o| o.len() > 1) {
                fields.push(Field {
                    pointer: "/schedule/selectedFrequency".into(),
                    label: t.t("schedule.frequency"),
                    hint: None,
                    required: true,
                    control: select(
                        options.iter().map(|f| {
                            (
                                f.clone(),
                                t.maybe(&format!("freq.{f}")).unwrap_or_else(|| f.clone()),
                            )
                        }),
                        schedule.selected_frequency.clone(),
                        None,
                    ),
                });
            }
            vec![Section {
                heading: None,
                hint: None,
                table: None,
                fields,
            }]
        }
        Stage::Commerce | Stage::Accounting => Vec::new(),
    }
}

fn checkbox(pointer: &str, label: String, checked: Option<bool>) -> Field {
    Field {
        pointer: pointer.into(),
        label,
        hint: None,
        required: false,
        control: Control::Checkbox(checked == Some(true)),
    }
}

fn select(
    options: impl Iterator<Item = (String, String)>,
    selected: Option<String>,
    create: Option<Creatable>,
) -> Control {
    Control::Select {
        options: options.collect(),
        selected,
        create,
    }
}

/// One select per account slot, the required ones first, each offering only its fitting accounts.
fn accounts_section(
    base: &str,
    accounts: Option<&KeyedMap<ConfigAccount>>,
    heading: String,
    t: &Texts,
) -> Section {
    let mut slots: Vec<(&str, &ConfigAccount)> =
        accounts.into_iter().flat_map(|a| a.iter()).collect();
    slots.sort_by_key(|(_, slot)| slot.required != Some(true));
    Section {
        heading: Some(heading),
        hint: None,
        table: None,
        fields: slots
            .into_iter()
            .map(|(key, slot)| Field {
                pointer: format!("{base}{}", pointer([key, "selectedAccountId"])),
                label: slot_label(key, slot, t),
                hint: slot.description_text.clone(),
                required: slot.required == Some(true),
                control: select(
                    slot.account_options.iter().flatten().map(|o| {
                        let name = o.name.clone().unwrap_or_else(|| o.id.clone());
                        let label = match &o.nominal_code {
                            Some(code) if !code.is_empty() => format!("{code} – {name}"),
                            _ => name,
                        };
                        (o.id.clone(), label)
                    }),
                    slot.selected_account_id.clone(),
                    Some(Creatable::Account),
                ),
            })
            .collect(),
    }
}

/// The merchant's words for an account slot.
pub fn slot_label(key: &str, slot: &ConfigAccount, t: &Texts) -> String {
    if let Some(label) = t.maybe(&format!("slot.{key}")) {
        return label;
    }
    match slot
        .label_text
        .as_deref()
        .and_then(|l| l.strip_prefix("Sales: "))
    {
        Some(category) => t.f("slot.category", &[("name", category)]),
        None => slot.label_text.clone().unwrap_or_else(|| key.to_owned()),
    }
}

/// Writes the submitted `form` values of `fields` into `draft` (current shape) at their
/// pointers. Only the stage's own fields are read: nothing else in the draft can be set.
pub fn apply_form(draft: &mut Value, fields: &[Field], form: &[(String, String)]) {
    fn values<'a>(form: &'a [(String, String)], p: &'a str) -> impl Iterator<Item = &'a str> {
        form.iter()
            .filter(move |(k, _)| k == p)
            .map(|(_, v)| v.trim())
    }
    for field in fields {
        let first = values(form, &field.pointer).next().unwrap_or_default();
        let value = match &field.control {
            Control::Checkbox(_) => Some(Value::Bool(first == "true")),
            Control::Checkboxes { .. } => Some(Value::Array(
                values(form, &field.pointer)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            )),
            Control::Hour(_) => first
                .parse::<i64>()
                .ok()
                .map(Value::from)
                .or_else(|| (!first.is_empty()).then(|| Value::String(first.to_owned()))),
            _ => (!first.is_empty()).then(|| Value::String(first.to_owned())),
        };
        set_pointer(draft, &field.pointer, value);
    }
}

/// Sets (or, with `None`, removes) the value at an RFC 6901 pointer, creating objects on the way.
pub fn set_pointer(root: &mut Value, pointer: &str, value: Option<Value>) {
    let segments: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = segments.split_last() else {
        return;
    };
    let mut node = root;
    for segment in parents {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node
            .as_object_mut()
            .expect("made an object above")
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(Map::new());
    }
    let object = node.as_object_mut().expect("made an object above");
    match value {
        Some(v) => {
            object.insert(last.clone(), v);
        }
        None => {
            object.remove(last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pointers_write_into_the_draft_and_create_what_is_missing() {
        let mut draft = json!({"configuration": {"sales": {"syncSales": false}}});
        set_pointer(
            &mut draft,
            "/configuration/sales/accounts/a~1b/selectedAccountId",
            Some(json!("x")),
        );
        set_pointer(
            &mut draft,
            "/configuration/sales/syncSales",
            Some(json!(true)),
        );
        assert_eq!(
            draft["configuration"]["sales"]["accounts"]["a/b"]["selectedAccountId"],
            "x"
        );
        assert_eq!(draft["configuration"]["sales"]["syncSales"], true);
        set_pointer(&mut draft, "/configuration/sales/syncSales", None);
        assert!(draft["configuration"]["sales"].get("syncSales").is_none());
    }

    #[test]
    fn only_the_stages_fields_are_read_from_a_form() {
        let fields = vec![
            checkbox("/configuration/fees/syncFees", "Fees".into(), None),
            Field {
                pointer: "/schedule/syncHour".into(),
                label: "Hour".into(),
                hint: None,
                required: true,
                control: Control::Hour(None),
            },
        ];
        let mut draft = json!({"configuration": {"fees": {"syncFees": true}}});
        let form = vec![
            ("/schedule/syncHour".to_owned(), "7".to_owned()),
            ("/enable".to_owned(), "true".to_owned()),
        ];
        apply_form(&mut draft, &fields, &form);
        assert_eq!(draft["schedule"]["syncHour"], 7);
        assert_eq!(
            draft["configuration"]["fees"]["syncFees"], false,
            "an unticked box is false"
        );
        assert!(
            draft.get("enable").is_none(),
            "a field of no stage is never set"
        );
    }
}
