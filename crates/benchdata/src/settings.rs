//! The configuration every generated merchant runs on: invoices and payments, tips to a
//! gratuity account, 20% and 5% mapped, card fees billed by the processor, payouts to the bank.

use domain::commerce::PaymentType;
use domain::mapping::{
    CategoryAccounts, FeeSettings, Grouping, InvoiceStatus, MappingSettings, OutputMode,
    SalesAccounts, TaxMapping,
};
use domain::money::Rounding;
use rust_decimal::Decimal;

pub const SALES: &str = "4000";
pub const REFUNDS: &str = "4010";
pub const GRATUITY: &str = "2300";
pub const CASH: &str = "1000";
pub const CARD_CLEARING: &str = "1100";
pub const BANK: &str = "1300";

pub fn settings() -> MappingSettings {
    MappingSettings {
        output: OutputMode::Documents,
        sales_customer_id: "c-daily".into(),
        invoice_status: InvoiceStatus::Submitted,
        accounts: SalesAccounts {
            sales: SALES.into(),
            refund: REFUNDS.into(),
            gratuity: Some(GRATUITY.into()),
            prepaid: Some("2400".into()),
            rounding: None,
        },
        categories: CategoryAccounts::default(),
        tax: TaxMapping {
            by_percentage: vec![
                (Decimal::from(20), "OUTPUT2".into()),
                (Decimal::from(5), "REDUCED".into()),
                (Decimal::ZERO, "ZERO".into()),
            ],
            default_zero_rate: Some("ZERO".into()),
            ..TaxMapping::default()
        },
        sync_payments: true,
        payment_accounts: vec![
            (PaymentType::Cash, CASH.into()),
            (PaymentType::Card, CARD_CLEARING.into()),
        ],
        clearing_account: CARD_CLEARING.into(),
        payout_account: Some(BANK.into()),
        receivable_account: None,
        fees: Some(FeeSettings {
            supplier_id: "s-psp".into(),
            payment_fee_account: "6100".into(),
            payment_fee_refund_account: "6110".into(),
            fee_account_is_bank: false,
            tax_rate_id: None,
        }),
        grouping: Grouping::default(),
        rounding: Rounding::HalfUp,
    }
}
