//! Where a person opens a document we wrote, in the platform's own web app: support follows
//! it from a sync's page. Links open in whichever organisation the person is signed in to,
//! so they name the document only; payments have no page of their own in either app.

use domain::PlatformKey;

/// The platform's page for a document of `kind` (`DocumentKind::as_str`) with `id`.
pub fn document_url(platform: PlatformKey, kind: &str, id: &str) -> Option<String> {
    let id: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
    let page = match platform {
        PlatformKey::Xero => match kind {
            "invoice" => "https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=",
            "creditNote" => {
                "https://go.xero.com/AccountsReceivable/ViewCreditNote.aspx?creditNoteID="
            }
            "bill" => "https://go.xero.com/AccountsPayable/View.aspx?InvoiceID=",
            "billCreditNote" => {
                "https://go.xero.com/AccountsPayable/ViewCreditNote.aspx?creditNoteID="
            }
            "bankTransaction" => "https://go.xero.com/Bank/ViewTransaction.aspx?bankTransactionID=",
            "transfer" => "https://go.xero.com/Bank/ViewTransfer.aspx?bankTransferID=",
            "journalEntry" => "https://go.xero.com/Journal/View.aspx?invoiceID=",
            _ => return None,
        },
        PlatformKey::QuickBooksOnline => match kind {
            "invoice" => "https://app.qbo.intuit.com/app/invoice?txnId=",
            "creditNote" => "https://app.qbo.intuit.com/app/creditmemo?txnId=",
            "payment" => "https://app.qbo.intuit.com/app/recvpayment?txnId=",
            "refund" => "https://app.qbo.intuit.com/app/refundreceipt?txnId=",
            "bill" => "https://app.qbo.intuit.com/app/bill?txnId=",
            "billPayment" => "https://app.qbo.intuit.com/app/billpayment?txnId=",
            "billCreditNote" => "https://app.qbo.intuit.com/app/vendorcredit?txnId=",
            "bankTransaction" => "https://app.qbo.intuit.com/app/expense?txnId=",
            "transfer" => "https://app.qbo.intuit.com/app/transfer?txnId=",
            "journalEntry" => "https://app.qbo.intuit.com/app/journal?txnId=",
            _ => return None,
        },
        _ => return None,
    };
    Some(format!("{page}{id}"))
}

#[cfg(test)]
mod tests {
    use super::document_url;
    use domain::PlatformKey;

    #[test]
    fn documents_open_on_the_platforms_own_pages() {
        assert_eq!(
            document_url(PlatformKey::Xero, "invoice", "3a2f").as_deref(),
            Some("https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=3a2f")
        );
        assert_eq!(
            document_url(PlatformKey::QuickBooksOnline, "journalEntry", "145").as_deref(),
            Some("https://app.qbo.intuit.com/app/journal?txnId=145")
        );
        assert_eq!(document_url(PlatformKey::Xero, "payment", "p"), None);
        assert_eq!(
            document_url(PlatformKey::Hledger, "journalEntry", "x"),
            None
        );
        assert!(
            document_url(PlatformKey::Xero, "invoice", "a&b=c")
                .unwrap()
                .ends_with("a%26b%3Dc")
        );
    }
}
