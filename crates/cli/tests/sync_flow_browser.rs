//! The Sync Flow in a real headless Chromium, entered where a merchant enters it: the client
//! asks for a start URL over the API, the merchant's browser opens it, connects the books on
//! the sandbox's consent page, walks every stage (a validation error shown and fixed, records
//! created from the page), finishes; the saved configuration is what was chosen; a week is
//! pushed and synced over the API and the settings page shows it. axe-core checks every page.
//! Xero in English and in French (the client pushing before the merchant configures).

mod journey_support;

use fantoccini::Locator;
use journey_support::browser::{choose, go, keyboard_to, page, shot, tick};
use journey_support::flow::{by_name, push_week, sync_week};
use journey_support::server::Server;
use journey_support::week::{Region, week_in};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use testkit::browser::{Browser, DESKTOP, PHONE};

/// What one merchant chooses, by the names in its books.
struct Walk {
    platform_key: &'static str,
    french: bool,
    /// The merchant's country: its week of sales and its time zone.
    region: Region,
    /// The client pushes the week before the merchant configures (so its tax rates are offered).
    push_first: bool,
    /// The client gives a `redirectUrl`: the merchant ends on its page.
    redirect: bool,
    /// Switch syncing off and on, read the books again and disconnect, on the settings page.
    manage: bool,
    /// (section, slot, account name)
    accounts: &'static [(&'static str, &'static str, &'static str)],
    tax_rates: &'static [(&'static str, &'static str)],
    /// The rate for untaxed lines, where the books take tax per rate.
    zero_rate: Option<&'static str>,
    supplier: &'static str,
    /// Made from the page: the customer, and payments accounts (slot, name).
    new_customer: &'static str,
    new_accounts: &'static [(&'static str, &'static str)],
    /// The organisation the consent page reaches, as the accounting stage names it.
    connected: &'static str,
    done: &'static str,
}

fn account(section: &str, key: &str) -> String {
    format!("/configuration/{section}/accounts/{key}/selectedAccountId")
}

/// Submits the stage's own form.
async fn submit(b: &Browser) {
    go(b, "form[novalidate] div.actions button[type=submit]").await;
}

/// Creates a record from the page for the field `pointer`: opens its "create" control, names it.
async fn create(b: &Browser, pointer: &str, name: &str) {
    let id: String = std::iter::once('f')
        .chain(
            pointer
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
        )
        .collect();
    let field = b
        .client
        .find(Locator::Css(&format!("#{id}")))
        .await
        .unwrap();
    let details = field
        .find(Locator::XPath("./following-sibling::details"))
        .await
        .unwrap();
    details
        .find(Locator::Css("summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.client
        .find(Locator::Css(&format!("#{id}-new-name")))
        .await
        .unwrap()
        .send_keys(name)
        .await
        .unwrap();
    go(b, &format!(r#"button[name=create][value="{pointer}"]"#)).await;
    b.client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css("div.notice"))
        .await
        .expect("a notice after creating");
    let after = page(b).await;
    assert!(
        after.contains(name) && after.contains("notice"),
        "{name} created and said so:\n{after}"
    );
    let chosen: Value = b
        .client
        .execute(
            "return document.querySelector(arguments[0]).value",
            vec![json!(format!("#{id}"))],
        )
        .await
        .unwrap();
    assert_ne!(chosen, json!(""), "the new record is selected");
}

async fn checked_stage(b: &Browser, name: &str) {
    b.assert_accessible(name).await;
    b.screenshot(&shot(&format!("sync-flow-{name}.png"))).await;
}

async fn walk(walk: &Walk) {
    let Some(b) = Browser::start(DESKTOP, "the Sync Flow").await else {
        return;
    };
    let server = Server::start(None);
    let lang = if walk.french { "fr" } else { "en" };
    let platform = if walk.platform_key == "gbol" {
        "xero"
    } else {
        "quickbooks"
    };
    let tag = format!("{platform}-{lang}");
    // The client's look: its name, logo and colour on every page.
    let logo = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxNjAiIGhlaWdodD0iNDAiPjxyZWN0IHdpZHRoPSIxNjAiIGhlaWdodD0iNDAiIHJ4PSI4IiBmaWxsPSIjMGI1ZDFlIi8+PHRleHQgeD0iMTIiIHk9IjI3IiBmb250LWZhbWlseT0ic2Fucy1zZXJpZiIgZm9udC1zaXplPSIyMCIgZmlsbD0iI2ZmZiI+Qm9iJ3MgVGlsbHM8L3RleHQ+PC9zdmc+";
    server
        .ok(
            Method::PUT,
            &format!("/clients/{}/config/ui/branding", server.client_id),
            Some(
                &json!({"displayName": "Bob's Tills", "primaryColour": "#0b5d1e",
                "logo": format!("data:image/svg+xml;base64,{logo}")}),
            ),
        )
        .await;
    let mut start_path = format!(
        "/config/sync/commerce/cmrc/{}/start?merchantIdentifier=shop-{lang}",
        walk.platform_key
    );
    // The client's own page to come back to: here, on an origin it registered.
    let back = server.url("/healthz");
    if walk.redirect {
        server
            .ok(
                Method::PUT,
                &format!("/clients/{}/config/redirect-origins", server.client_id),
                Some(&json!({"origins": [server.base]})),
            )
            .await;
        start_path.push_str(&format!("&redirectUrl={back}"));
    }
    let week = week_in(walk.region);
    let zone = walk.region.zone();
    if walk.push_first {
        let first = server.ok(Method::GET, &start_path, None).await;
        push_week(&server, first["companyId"].as_str().unwrap(), &week).await;
    }
    let start = server.ok(Method::GET, &start_path, None).await;
    let company = start["companyId"].as_str().unwrap().to_owned();
    b.goto(start["url"].as_str().unwrap()).await;
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/commerce")
    );
    if walk.french {
        go(&b, "nav a[hreflang=fr-fr]").await;
        assert!(
            page(&b).await.contains("lang=\"fr\""),
            "the page switched to French"
        );
    }
    let first = page(&b).await;
    assert!(
        first.contains(r#"alt="Bob's Tills""#) && first.contains("colours.css"),
        "the client's logo and colours: {first}"
    );
    checked_stage(&b, &format!("1-commerce-{tag}")).await;

    // Accounting: reached with the keyboard alone (Tab to "Continue", Enter), then the
    // platform's consent page and back; the books are read meanwhile.
    keyboard_to(&b, if walk.french { "Continuer" } else { "Continue" }).await;
    go(&b, "main form button[type=submit]").await;
    go(&b, "button[value=allow]").await;
    let mut connected = false;
    for _ in 0..60 {
        if page(&b).await.contains(walk.connected) {
            connected = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        b.client.refresh().await.unwrap();
    }
    assert!(
        connected,
        "the accounting stage names the organisation:\n{}",
        page(&b).await
    );
    checked_stage(&b, &format!("2-accounting-{tag}")).await;

    // Sales: every choice but the customer, which is missing: refused next to its field.
    go(&b, "main a.button").await;
    tick(&b, "/configuration/sales/syncSales").await;
    for (section, key, name) in walk.accounts.iter().filter(|(s, _, _)| *s == "sales") {
        choose(&b, &account(section, key), name).await;
    }
    for (key, name) in walk.tax_rates {
        choose(
            &b,
            &format!("/configuration/sales/taxRates/{key}/selectedTaxRateId"),
            name,
        )
        .await;
    }
    if let Some(zero) = walk.zero_rate {
        choose(
            &b,
            "/configuration/sales/newTaxRates/selectedDefaultZeroTaxRateId",
            zero,
        )
        .await;
    } else {
        let page = page(&b).await;
        assert!(
            !page.contains("/configuration/sales/taxRates/"),
            "no rate table for books that compute tax"
        );
    }
    choose(
        &b,
        "/configuration/sales/salesCustomer/selectedCustomerId",
        if walk.french {
            "Choisissez…"
        } else {
            "Choose…"
        },
    )
    .await;
    submit(&b).await;
    let refused = page(&b).await;
    assert!(
        refused.contains("error-summary")
            && refused.contains("f-configuration-sales-salesCustomer-selectedCustomerId-error"),
        "the missing customer is named:\n{refused}"
    );
    checked_stage(&b, &format!("3-sales-error-{tag}")).await;
    create(
        &b,
        "/configuration/sales/salesCustomer/selectedCustomerId",
        walk.new_customer,
    )
    .await;
    checked_stage(&b, &format!("3-sales-{tag}")).await;
    submit(&b).await;

    // Fees
    tick(&b, "/configuration/fees/syncFees").await;
    choose(
        &b,
        "/configuration/fees/feesSupplier/selectedSupplierId",
        walk.supplier,
    )
    .await;
    for (section, key, name) in walk.accounts.iter().filter(|(s, _, _)| *s == "fees") {
        choose(&b, &account(section, key), name).await;
    }
    checked_stage(&b, &format!("4-fees-{tag}")).await;
    submit(&b).await;

    // Payments, one of them on an account made from the page.
    tick(&b, "/configuration/payments/syncPayments").await;
    for (section, key, name) in walk.accounts.iter().filter(|(s, _, _)| *s == "payments") {
        choose(&b, &account(section, key), name).await;
    }
    for (slot, name) in walk.new_accounts {
        create(&b, &account("payments", slot), name).await;
    }
    checked_stage(&b, &format!("5-payments-{tag}")).await;
    submit(&b).await;

    // Schedule: from today, in the merchant's zone, at 02:00.
    assert!(
        page(&b).await.contains("/schedule/startDate"),
        "on the schedule stage:\n{}",
        page(&b).await
    );
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get(zone).unwrap())
        .date()
        .to_string();
    b.client
        .execute(
            "document.querySelector('[name=\"/schedule/startDate\"]').value = arguments[0]",
            vec![json!(today)],
        )
        .await
        .unwrap();
    let preselected: Value = b
        .client
        .execute(
            "return document.querySelector('[name=\"/schedule/timeZone\"]').value",
            vec![],
        )
        .await
        .unwrap();
    assert_ne!(
        preselected,
        json!(""),
        "the browser's own zone is preselected"
    );
    choose(&b, "/schedule/timeZone", zone).await;
    choose(&b, "/schedule/syncHour", "02:00").await;
    checked_stage(&b, &format!("6-schedule-{tag}")).await;
    submit(&b).await;
    if walk.redirect {
        let landed = b.client.current_url().await.unwrap();
        assert!(
            landed.as_str().starts_with(&back)
                && landed
                    .query()
                    .is_some_and(|q| q.contains(&format!("companyId={company}"))
                        && q.contains("status=Configured")),
            "back on the client's page: {landed}"
        );
        b.goto(&server.url(&format!("/sync-flow/companies/{company}/settings")))
            .await;
    }
    let settings = page(&b).await;
    assert!(
        settings.contains(walk.done),
        "finished on the settings page:\n{settings}"
    );
    checked_stage(&b, &format!("7-settings-{tag}")).await;

    // The saved configuration is exactly what was chosen.
    let doc = server
        .ok(
            Method::GET,
            &format!("/config/companies/{company}/sync/commerce"),
            None,
        )
        .await;
    assert_eq!(doc["enable"], true);
    assert_eq!(doc["configured"], true);
    let c = &doc["configuration"];
    for (section, key, name) in walk.accounts {
        let slot = &c[section]["accounts"][key];
        assert_eq!(
            slot["selectedAccountId"],
            json!(by_name(&slot["accountOptions"], name)),
            "{section}.{key}"
        );
    }
    for (key, name) in walk.tax_rates {
        let slot = &c["sales"]["taxRates"][key];
        assert_eq!(
            slot["selectedTaxRateId"],
            json!(by_name(&slot["taxRateOptions"], name)),
            "tax {key}"
        );
    }
    let customer = &c["sales"]["salesCustomer"];
    assert_eq!(
        customer["selectedCustomerId"],
        json!(by_name(&customer["customerOptions"], walk.new_customer))
    );
    for (slot, name) in walk.new_accounts {
        let paid_in = &c["payments"]["accounts"][slot];
        assert_eq!(
            paid_in["selectedAccountId"],
            json!(by_name(&paid_in["accountOptions"], name)),
            "{slot}"
        );
    }
    assert_eq!(doc["schedule"]["timeZone"], zone);
    assert_eq!(doc["schedule"]["syncHour"], 2);
    assert!(
        doc["schedule"]["startDate"]
            .as_str()
            .unwrap()
            .starts_with(&today)
    );

    // A week pushed and synced over the API shows in the history, with the next sync named.
    if !walk.push_first {
        push_week(&server, &company, &week).await;
    }
    let status = sync_week(&server, &company, zone).await;
    assert_eq!(status["syncStatusCode"], 2000, "{status}");
    b.client.refresh().await.unwrap();
    let settings = page(&b).await;
    let (written, none) = if walk.french {
        ("Terminée : ventes inscrites", "Aucune pour l’instant")
    } else {
        ("Done: sales written", "None yet")
    };
    assert!(
        settings.contains(written),
        "the history shows the sync:\n{settings}"
    );
    assert_eq!(
        settings.matches(none).count(),
        0,
        "last and next sync are both named:\n{settings}"
    );
    checked_stage(&b, &format!("8-settings-history-{tag}")).await;

    // The same pages on a phone.
    if let Some(phone) = Browser::start(PHONE, "the Sync Flow on a phone").await {
        let again = server
            .ok(
                Method::GET,
                &format!(
                    "/config/sync/commerce/cmrc/{}/start?merchantIdentifier=shop-{lang}",
                    walk.platform_key
                ),
                None,
            )
            .await;
        assert_eq!(
            again["companyId"],
            json!(company),
            "the same merchant reaches the same company"
        );
        phone.goto(again["url"].as_str().unwrap()).await;
        assert!(
            phone
                .client
                .current_url()
                .await
                .unwrap()
                .path()
                .ends_with("/settings")
        );
        for stage in [
            "settings",
            "commerce",
            "accounting",
            "sales",
            "fees",
            "payments",
            "schedule",
        ] {
            phone
                .goto(&server.url(&format!("/sync-flow/companies/{company}/{stage}")))
                .await;
            phone
                .assert_accessible(&format!("{stage} on a phone"))
                .await;
            let sideways: Value = phone
                .client
                .execute(
                    "return document.documentElement.scrollWidth > window.innerWidth",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(sideways, json!(false), "{stage} fits a phone's width");
            phone
                .screenshot(&shot(&format!("sync-flow-{stage}-phone-{tag}.png")))
                .await;
        }
        phone.close().await;
    }
    if walk.manage {
        manage(&b, &server, &company).await;
    }
    b.close().await;
}

/// The settings page's actions, each checked where it lands: the page and the API.
async fn manage(b: &Browser, server: &Server, company: &str) {
    let config = format!("/config/companies/{company}/sync/commerce");
    go(b, "form[action$='/settings/disable'] button").await;
    assert!(page(b).await.contains("Syncing is off"));
    assert_eq!(server.ok(Method::GET, &config, None).await["enable"], false);
    go(b, "form[action$='/settings/enable'] button").await;
    assert!(page(b).await.contains("Syncing is on"));
    assert_eq!(server.ok(Method::GET, &config, None).await["enable"], true);
    go(b, "form[action$='/settings/reread'] button").await;
    assert!(page(b).await.contains("being read again"));
    go(b, "form[action$='/settings/disconnect'] button").await;
    let after = page(b).await;
    assert!(
        after.contains("is disconnected: nothing more is written"),
        "{after}"
    );
    b.assert_accessible("settings after disconnecting").await;
    let connections = server
        .ok(
            Method::GET,
            &format!("/companies/{company}/connections"),
            None,
        )
        .await;
    let accounting = connections["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["integrationKey"] == "gbol")
        .unwrap();
    assert_eq!(accounting["status"], "Unlinked", "{accounting}");
}

const XERO_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("sales", "sales", "Sales"),
    ("sales", "refund", "Sales Refunds"),
    ("sales", "gratuity", "Gratuities Payable"),
    ("payments", "card", "Card Clearing"),
    ("payments", "cash", "Cash Takings"),
    ("payments", "payout", "Business Bank Account"),
    ("fees", "paymentFee", "Payment Processing Fees"),
];
const XERO_TAX_RATES: &[(&str, &str)] = &[
    ("20", "20% (VAT on Income)"),
    ("5", "5% (VAT on Income)"),
    ("0", "Zero Rated Income"),
];

#[tokio::test]
async fn a_xero_merchant_walks_the_flow_in_english() {
    walk(&Walk {
        platform_key: "gbol",
        region: Region::Gb,
        french: false,
        push_first: false,
        redirect: false,
        manage: true,
        accounts: XERO_ACCOUNTS,
        tax_rates: XERO_TAX_RATES,
        zero_rate: Some("Zero Rated Income"),
        supplier: "Payment Processor Ltd",
        new_customer: "Daily Takings",
        new_accounts: &[("paypal", "PayPal")],
        connected: "Connected to",
        done: "All set",
    })
    .await;
}

#[tokio::test]
async fn a_xero_merchant_walks_the_flow_in_french() {
    walk(&Walk {
        platform_key: "gbol",
        region: Region::Gb,
        french: true,
        push_first: true,
        redirect: true,
        manage: false,
        accounts: XERO_ACCOUNTS,
        tax_rates: XERO_TAX_RATES,
        zero_rate: Some("Zero Rated Income"),
        supplier: "Payment Processor Ltd",
        new_customer: "Ventes du jour",
        new_accounts: &[("paypal", "PayPal")],
        connected: "Connecté à",
        done: "C’est prêt",
    })
    .await;
}

/// A US merchant: QuickBooks computes the sales tax, so no rate table is offered.
const QUICKBOOKS_US_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("sales", "sales", "Sales"),
    ("sales", "refund", "Refunds"),
    ("sales", "gratuity", "Gratuity Liability"),
    ("payments", "cash", "Cash on Hand"),
    ("payments", "payout", "Checking"),
    ("fees", "paymentFee", "Payment Processing Fees"),
];

#[tokio::test]
async fn a_quickbooks_merchant_walks_the_flow_in_english() {
    walk(&Walk {
        platform_key: "qhyg",
        region: Region::Us,
        french: false,
        push_first: false,
        redirect: false,
        manage: false,
        accounts: QUICKBOOKS_US_ACCOUNTS,
        tax_rates: &[],
        zero_rate: None,
        supplier: "Payment Processor Inc",
        new_customer: "Daily Takings",
        new_accounts: &[("card", "Card Clearing (Bank)"), ("paypal", "PayPal")],
        connected: "Connected to",
        done: "All set",
    })
    .await;
}

#[tokio::test]
async fn a_quickbooks_merchant_walks_the_flow_in_french() {
    walk(&Walk {
        platform_key: "qhyg",
        region: Region::Us,
        french: true,
        push_first: true,
        redirect: true,
        manage: false,
        accounts: QUICKBOOKS_US_ACCOUNTS,
        // These books compute the tax themselves: no rate table is offered.
        tax_rates: &[],
        zero_rate: None,
        supplier: "Payment Processor Inc",
        new_customer: "Ventes du jour",
        new_accounts: &[("card", "Carte (attente)"), ("paypal", "PayPal")],
        connected: "Connecté à",
        done: "C’est prêt",
    })
    .await;
}
