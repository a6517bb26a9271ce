//! One table per document type on the books page: which fields of the platform's JSON a person
//! wants to see (number, date, who, status, amounts), per platform, and their rendering.

use crate::money::{dec, parse_date};
use crate::state::PlatformKind;
use maud::{Markup, html};
use serde_json::Value;

/// How a column reads its value from a document: a dotted path, alternatives after `|`.
#[derive(Clone, Copy)]
pub enum Cell {
    Text(&'static str),
    /// Two decimals, right-aligned.
    Money(&'static str),
    /// `YYYY-MM-DD`, from Xero's `/Date(…)/` too.
    Date(&'static str),
    /// How many elements an array holds (lines).
    Count(&'static str),
}

/// A document type's table.
pub struct Table {
    /// The collection in the books (`Invoices`, `Invoice`).
    pub coll: &'static str,
    /// What the table is called on the page.
    pub caption: &'static str,
    pub columns: &'static [(&'static str, Cell)],
}

use Cell::{Count, Date, Money, Text};

const XERO: &[Table] = &[
    Table {
        coll: "Invoices",
        caption: "Invoices and bills",
        columns: &[
            ("Number", Text("InvoiceNumber")),
            ("Type", Text("Type")),
            ("Date", Date("Date")),
            ("Contact", Text("Contact.Name")),
            ("Reference", Text("Reference")),
            ("Status", Text("Status")),
            ("Total", Money("Total")),
            ("Due", Money("AmountDue")),
        ],
    },
    Table {
        coll: "CreditNotes",
        caption: "Credit notes",
        columns: &[
            ("Number", Text("CreditNoteNumber")),
            ("Type", Text("Type")),
            ("Date", Date("Date")),
            ("Contact", Text("Contact.Name")),
            ("Reference", Text("Reference")),
            ("Status", Text("Status")),
            ("Total", Money("Total")),
            ("Remaining", Money("RemainingCredit")),
        ],
    },
    Table {
        coll: "Payments",
        caption: "Payments",
        columns: &[
            ("Date", Date("Date")),
            ("Type", Text("PaymentType")),
            (
                "Document",
                Text("Invoice.InvoiceNumber|CreditNote.CreditNoteNumber"),
            ),
            ("Account", Text("Account.Code")),
            ("Reference", Text("Reference")),
            ("Status", Text("Status")),
            ("Amount", Money("Amount")),
        ],
    },
    Table {
        coll: "BankTransactions",
        caption: "Bank transactions",
        columns: &[
            ("Date", Date("Date")),
            ("Type", Text("Type")),
            ("Bank account", Text("BankAccount.Name|BankAccount.Code")),
            ("Contact", Text("Contact.Name")),
            ("Reference", Text("Reference")),
            ("Status", Text("Status")),
            ("Total", Money("Total")),
        ],
    },
    Table {
        coll: "BankTransfers",
        caption: "Bank transfers",
        columns: &[
            ("Date", Date("Date")),
            ("From", Text("FromBankAccount.Name|FromBankAccount.Code")),
            ("To", Text("ToBankAccount.Name|ToBankAccount.Code")),
            ("Reference", Text("Reference")),
            ("Amount", Money("Amount")),
        ],
    },
    Table {
        coll: "ManualJournals",
        caption: "Manual journals",
        columns: &[
            ("Date", Date("Date")),
            ("Narration", Text("Narration")),
            ("Status", Text("Status")),
            ("Lines", Count("JournalLines")),
        ],
    },
];

const QUICKBOOKS: &[Table] = &[
    Table {
        coll: "Invoice",
        caption: "Invoices",
        columns: &[
            ("Number", Text("DocNumber")),
            ("Date", Date("TxnDate")),
            ("Customer", Text("CustomerRef.name")),
            ("Total", Money("TotalAmt")),
            ("Balance", Money("Balance")),
        ],
    },
    Table {
        coll: "CreditMemo",
        caption: "Credit memos",
        columns: &[
            ("Number", Text("DocNumber")),
            ("Date", Date("TxnDate")),
            ("Customer", Text("CustomerRef.name")),
            ("Total", Money("TotalAmt")),
            ("Remaining", Money("RemainingCredit")),
        ],
    },
    Table {
        coll: "RefundReceipt",
        caption: "Refund receipts",
        columns: &[
            ("Number", Text("DocNumber")),
            ("Date", Date("TxnDate")),
            ("Customer", Text("CustomerRef.name")),
            ("Refunded from", Text("DepositToAccountRef.name")),
            ("Total", Money("TotalAmt")),
        ],
    },
    Table {
        coll: "Payment",
        caption: "Payments",
        columns: &[
            ("Id", Text("Id")),
            ("Date", Date("TxnDate")),
            ("Customer", Text("CustomerRef.name")),
            ("Deposited to", Text("DepositToAccountRef.name")),
            ("Total", Money("TotalAmt")),
            ("Unapplied", Money("UnappliedAmt")),
        ],
    },
    Table {
        coll: "Deposit",
        caption: "Deposits",
        columns: &[
            ("Id", Text("Id")),
            ("Date", Date("TxnDate")),
            ("Deposited to", Text("DepositToAccountRef.name")),
            ("Lines", Count("Line")),
            ("Total", Money("TotalAmt")),
        ],
    },
    Table {
        coll: "Transfer",
        caption: "Transfers",
        columns: &[
            ("Id", Text("Id")),
            ("Date", Date("TxnDate")),
            ("From", Text("FromAccountRef.name")),
            ("To", Text("ToAccountRef.name")),
            ("Amount", Money("Amount")),
        ],
    },
    Table {
        coll: "Bill",
        caption: "Bills",
        columns: &[
            ("Number", Text("DocNumber|Id")),
            ("Date", Date("TxnDate")),
            ("Vendor", Text("VendorRef.name")),
            ("Due", Date("DueDate")),
            ("Total", Money("TotalAmt")),
            ("Balance", Money("Balance")),
        ],
    },
    Table {
        coll: "VendorCredit",
        caption: "Vendor credits",
        columns: &[
            ("Number", Text("DocNumber|Id")),
            ("Date", Date("TxnDate")),
            ("Vendor", Text("VendorRef.name")),
            ("Total", Money("TotalAmt")),
            ("Balance", Money("Balance")),
        ],
    },
    Table {
        coll: "BillPayment",
        caption: "Bill payments",
        columns: &[
            ("Id", Text("Id")),
            ("Date", Date("TxnDate")),
            ("Vendor", Text("VendorRef.name")),
            ("Paid by", Text("PayType")),
            ("Total", Money("TotalAmt")),
        ],
    },
    Table {
        coll: "JournalEntry",
        caption: "Journal entries",
        columns: &[
            ("Number", Text("DocNumber|Id")),
            ("Date", Date("TxnDate")),
            ("Memo", Text("PrivateNote")),
            ("Lines", Count("Line")),
            ("Total", Money("TotalAmt")),
        ],
    },
];

/// The document tables of a platform, in the order the page shows them.
pub fn tables(kind: PlatformKind) -> &'static [Table] {
    match kind {
        PlatformKind::Xero => XERO,
        PlatformKind::QuickBooks => QUICKBOOKS,
    }
}

/// The first of the `|`-separated dotted paths that leads to a non-empty value.
fn lookup<'a>(doc: &'a Value, paths: &str) -> Option<&'a Value> {
    paths.split('|').find_map(|path| {
        let v = path.split('.').try_fold(doc, |v, key| v.get(key))?;
        let empty = v.is_null() || v.as_str().is_some_and(str::is_empty);
        (!empty).then_some(v)
    })
}

fn cell_text(doc: &Value, cell: Cell) -> String {
    match cell {
        Text(p) => match lookup(doc, p) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        },
        Money(p) => lookup(doc, p)
            .and_then(dec)
            .map(|d| format!("{d:.2}"))
            .unwrap_or_default(),
        Date(p) => lookup(doc, p)
            .and_then(parse_date)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        Count(p) => lookup(doc, p)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
            .to_string(),
    }
}

/// The `id` of a table's section, for the page's contents links.
pub fn anchor(t: &Table) -> String {
    format!("docs-{}", t.coll.to_ascii_lowercase())
}

/// A document type's table: one row per document, numbers right-aligned.
pub fn render(t: &Table, docs: &[Value]) -> Markup {
    let id = anchor(t);
    html! {
        section aria-labelledby=(id) {
            h3 id=(id) { (t.caption) " (" (docs.len()) ")" }
            div.scroll role="region" aria-label=(t.caption) tabindex="0" {
                table {
                    caption { (t.caption) }
                    thead {
                        tr {
                            @for (header, cell) in t.columns {
                                th scope="col" class=[matches!(cell, Money(_) | Count(_)).then_some("num")] { (header) }
                            }
                        }
                    }
                    tbody {
                        @for doc in docs {
                            tr {
                                @for (i, (_, cell)) in t.columns.iter().enumerate() {
                                    @let numeric = matches!(cell, Money(_) | Count(_));
                                    @if i == 0 {
                                        th scope="row" class=[numeric.then_some("num")] { (cell_text(doc, *cell)) }
                                    } @else {
                                        td class=[numeric.then_some("num")] { (cell_text(doc, *cell)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_paths_alternatives_money_and_xero_dates() {
        let doc = json!({"Invoice": {"InvoiceNumber": ""}, "CreditNote": {"CreditNoteNumber": "CN-1"},
            "Total": 12.5, "Date": "/Date(1764115200000+0000)/", "Lines": [1, 2]});
        let p = "Invoice.InvoiceNumber|CreditNote.CreditNoteNumber";
        assert_eq!(cell_text(&doc, Text(p)), "CN-1");
        assert_eq!(cell_text(&doc, Money("Total")), "12.50");
        assert_eq!(cell_text(&doc, Date("Date")), "2025-11-26");
        assert_eq!(cell_text(&doc, Count("Lines")), "2");
        assert_eq!(cell_text(&doc, Text("Missing.Path")), "");
    }
}
