//! Merging a posted document into the one we offered: the client writes selections only.
//!
//! Read-only parts (options, labels, `required`, `companyId`, the company name, `configured`)
//! always come from the offered document, so a client cannot widen its own options ("only use
//! the options provided"). Writable parts come from the posted document when it sends them and
//! stay as offered when it does not (so the flat interim shape, which has no schedule or
//! `enable`, changes only what it carries; a `null` does not clear a value). A selection for a
//! slot we never offered is kept, without options, so validation names it.

use super::document::*;

/// The document to validate and store after a POST of `posted` over `offered`.
pub fn apply_selections(offered: &ConfigDocument, posted: &ConfigDocument) -> ConfigDocument {
    let mut out = offered.clone();
    out.enable = posted.enable.or(offered.enable);
    if let Some(p) = &posted.schedule {
        let s = out.schedule.get_or_insert_with(ScheduleSettings::default);
        take(&mut s.selected_frequency, &p.selected_frequency);
        take(&mut s.start_date, &p.start_date);
        take(&mut s.sync_hour, &p.sync_hour);
        take(&mut s.time_zone, &p.time_zone);
    }
    let (c, p) = (&mut out.configuration, &posted.configuration);
    take(&mut c.country_code, &p.country_code);
    if let Some(format) = p
        .map_settings
        .as_ref()
        .and_then(|m| m.output_format.clone())
    {
        c.map_settings
            .get_or_insert_with(MapSettings::default)
            .output_format = Some(format);
    }
    if let Some(ps) = &p.sales {
        sales(c.sales.get_or_insert_with(Sales::default), ps);
    }
    for (mine, theirs) in [
        (&mut c.payments, &p.payments),
        (&mut c.new_payments, &p.new_payments),
    ] {
        if let Some(theirs) = theirs {
            let mine = mine.get_or_insert_with(Payments::default);
            take(&mut mine.sync_payments, &theirs.sync_payments);
            accounts(&mut mine.accounts, theirs.accounts.as_ref());
        }
    }
    if let Some(pf) = &p.fees {
        let f = c.fees.get_or_insert_with(Fees::default);
        take(&mut f.sync_fees, &pf.sync_fees);
        accounts(&mut f.accounts, pf.accounts.as_ref());
        if let Some(id) = pf
            .fees_supplier
            .as_ref()
            .and_then(|s| s.selected_supplier_id.clone())
        {
            let supplier = f.fees_supplier.get_or_insert_with(FeesSupplier::default);
            supplier.selected_supplier_id = Some(id);
        }
    }
    out
}

fn take<T: Clone>(mine: &mut Option<T>, theirs: &Option<T>) {
    if theirs.is_some() {
        mine.clone_from(theirs);
    }
}

fn sales(s: &mut Sales, p: &Sales) {
    take(&mut s.sync_sales, &p.sync_sales);
    accounts(&mut s.accounts, p.accounts.as_ref());
    if let Some(v) = p
        .invoice_status
        .as_ref()
        .and_then(|x| x.selected_invoice_status.clone())
    {
        let status = s.invoice_status.get_or_insert_with(InvoiceStatus::default);
        status.selected_invoice_status = Some(v);
    }
    if let Some(v) = p
        .sales_customer
        .as_ref()
        .and_then(|x| x.selected_customer_id.clone())
    {
        let customer = s.sales_customer.get_or_insert_with(SalesCustomer::default);
        customer.selected_customer_id = Some(v);
    }
    for (key, rate) in p.tax_rates.iter().flat_map(|t| t.iter()) {
        let Some(id) = rate.selected_tax_rate_id.clone() else {
            continue;
        };
        // A percentage the merchant adds (a rate it expects to trade at) is a slot like the
        // offered ones, with the same options; any other unknown key stays without options.
        let added_options = super::merchant_world::is_percentage_key(key)
            .then(|| {
                s.new_tax_rates
                    .as_ref()
                    .and_then(|n| n.accounting_tax_rate_options.clone())
            })
            .flatten();
        let rates = s.tax_rates.get_or_insert_with(KeyedMap::new);
        match rates.get_mut(key) {
            Some(mine) => mine.selected_tax_rate_id = Some(id),
            None => rates.insert(
                key,
                TaxRateAmount {
                    selected_tax_rate_id: Some(id),
                    tax_rate_options: added_options,
                },
            ),
        }
    }
    if let Some(pn) = &p.new_tax_rates {
        let n = s.new_tax_rates.get_or_insert_with(NewTaxRates::default);
        take(&mut n.tax_rate_mappings, &pn.tax_rate_mappings);
        take(
            &mut n.selected_default_zero_tax_rate_id,
            &pn.selected_default_zero_tax_rate_id,
        );
    }
    if let Some(pg) = &p.grouping {
        let g = s.grouping.get_or_insert_with(Grouping::default);
        if let Some(v) = pg
            .grouping_period
            .as_ref()
            .and_then(|x| x.selected_grouping_period.clone())
        {
            let period = g
                .grouping_period
                .get_or_insert_with(GroupingPeriod::default);
            period.selected_grouping_period = Some(v);
        }
        if let Some(pl) = &pg.grouping_levels {
            let l = g
                .grouping_levels
                .get_or_insert_with(GroupingLevels::default);
            for (mine, theirs) in [
                (&mut l.invoice_level, &pl.invoice_level),
                (&mut l.invoice_line_level, &pl.invoice_line_level),
            ] {
                if let Some(v) = theirs
                    .as_ref()
                    .and_then(|x| x.selected_group_by_options.clone())
                {
                    mine.get_or_insert_with(GroupByLevel::default)
                        .selected_group_by_options = Some(v);
                }
            }
        }
    }
}

fn accounts(mine: &mut Option<KeyedMap<ConfigAccount>>, theirs: Option<&KeyedMap<ConfigAccount>>) {
    for (key, posted) in theirs.iter().flat_map(|t| t.iter()) {
        let Some(id) = posted.selected_account_id.clone() else {
            continue;
        };
        let map = mine.get_or_insert_with(KeyedMap::new);
        match map.get_mut(key) {
            Some(slot) => slot.selected_account_id = Some(id),
            None => map.insert(
                key,
                ConfigAccount {
                    selected_account_id: Some(id),
                    ..ConfigAccount::default()
                },
            ),
        }
    }
}
