//! The configuration document and reference data over real HTTP, on SQLite and PostgreSQL.

mod common;

use common::configured::{company, config_path, example, post, reference, rules};
use common::{TestApp, pointers};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn options_come_from_reference_data_held_for_the_company() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app, false).await;
        // Linked, never read: a read is queued and the client told to ask again.
        let response = app
            .request(Method::GET, &config_path(&company))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CONFLICT, "{}", app.backend());
        assert_eq!(response.headers()["retry-after"], "2");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["code"], "reference_data_reading", "{error}");
        assert_eq!(error["canBeRetried"], "True");
        let (status, _) = app
            .call(Method::POST, &config_path(&company), Some(example(false)))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);

        let path = format!("/companies/{company}/reference-data");
        let (status, _) = app.call(Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let bad = json!({"accounts": [{"id": "a"}, {"id": "b", "name": "B", "type": "Sideways"}], "suppliers": 3});
        let (status, error) = app.call(Method::PUT, &path, Some(bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            pointers(&error),
            ["/company", "/accounts/0", "/accounts/1", "/suppliers"]
        );
        let (status, stored) = app.call(Method::PUT, &path, Some(reference())).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(app.call(Method::GET, &path, None).await.1, stored);

        let response = app
            .request(Method::GET, &config_path(&company))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            response.headers().get("etag").is_none(),
            "nothing stored yet"
        );
        let doc: Value = response.json().await.unwrap();
        assert_eq!(doc["companyId"], company.as_str());
        assert_eq!(doc["accountingSoftwareCompanyName"], "Demo Coffee Ltd");
        assert_eq!(
            (doc["configured"].as_bool(), doc["enable"].as_bool()),
            (Some(false), Some(false))
        );
        assert_eq!(
            doc["schedule"]["frequencyOptions"],
            json!(["Daily", "Monthly"])
        );
        let sales = &doc["configuration"]["sales"];
        let ids: Vec<&str> = sales["accounts"]["sales"]["accountOptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["a1-200", "a1-260"], "active income accounts only");
        assert_eq!(
            sales["salesCustomer"]["customerOptions"],
            json!([{"id": "c-001", "name": "Daily sales customer"}])
        );
        assert_eq!(
            doc["configuration"]["fees"]["feesSupplier"]["supplierOptions"][0]["id"],
            "s-psp"
        );
        assert_eq!(
            sales["taxRates"]["20"]["taxRateOptions"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            sales["invoiceStatus"]["invoiceStatusOptions"],
            json!(["Draft", "Submitted"])
        );

        let (_, openapi) = app.call(Method::GET, "/openapi.json", None).await;
        for path in [
            "/config/companies/{companyId}/sync/commerce",
            "/companies/{companyId}/reference-data",
            "/companies/{companyId}/sync/commerce/preview",
        ] {
            assert!(openapi["paths"].get(path).is_some(), "{path} documented");
        }
    }
}

#[tokio::test]
async fn every_historical_shape_is_accepted_and_the_current_one_emitted() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app, true).await;
        let path = config_path(&company);
        let (status, etag, saved) = post(&app, &company, &example(true)).await;
        assert_eq!(status, StatusCode::OK, "{}: {saved}", app.backend());
        assert_eq!(etag, "\"1\"");
        assert_eq!(
            (saved["configured"].as_bool(), saved["enable"].as_bool()),
            (Some(true), Some(true))
        );
        assert_eq!(
            saved["configuration"]["mapSettings"]["outputFormat"],
            "JournalEntry"
        );
        assert_eq!(
            saved["configuration"]["sales"]["salesCustomer"]["selectedCustomerId"],
            "c-001"
        );
        let (_, read) = app.call(Method::GET, &path, None).await;
        assert_eq!(read, saved);

        // Beta: `enabled` and `syncHourUtc`, no countryCode or mapSettings.
        let mut beta = example(true);
        let wrapper = beta.as_object_mut().unwrap();
        wrapper.remove("enable");
        wrapper.insert("enabled".into(), json!(false));
        let schedule = wrapper["schedule"].as_object_mut().unwrap();
        schedule.remove("syncHour");
        schedule.insert("syncHourUtc".into(), json!(3));
        let configuration = wrapper["configuration"].as_object_mut().unwrap();
        configuration.remove("countryCode");
        configuration.remove("mapSettings");
        let (status, saved) = app.call(Method::POST, &path, Some(beta)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["enable"], false);
        assert!(saved.get("enabled").is_none());
        assert_eq!(saved["schedule"]["syncHour"], 3);
        assert!(saved["schedule"].get("syncHourUtc").is_none());
        assert_eq!(
            saved["configuration"]["mapSettings"]["outputFormat"], "JournalEntry",
            "kept"
        );

        // Interim flat: only the sections; the schedule and the switch stay as they were.
        let mut flat = example(true)["configuration"].clone();
        flat.as_object_mut().unwrap().remove("countryCode");
        flat.as_object_mut().unwrap().remove("mapSettings");
        flat["sales"]["accounts"]["sales"]["selectedAccountId"] = json!("a1-260");
        let (status, etag, saved) = post(&app, &company, &flat).await;
        assert_eq!(
            (status, etag.as_str()),
            (StatusCode::OK, "\"3\""),
            "{saved}"
        );
        assert_eq!(
            saved["configuration"]["sales"]["accounts"]["sales"]["selectedAccountId"],
            "a1-260"
        );
        assert_eq!(
            (
                saved["schedule"]["syncHour"].as_i64(),
                saved["enable"].as_bool()
            ),
            (Some(3), Some(false))
        );

        // `enable` alone switches the sync back on; `configured` is ours, whatever is sent.
        let (_, saved) = app
            .call(
                Method::POST,
                &path,
                Some(json!({"enable": true, "configured": false})),
            )
            .await;
        assert_eq!(
            (saved["enable"].as_bool(), saved["configured"].as_bool()),
            (Some(true), Some(true))
        );
    }
}

#[tokio::test]
async fn every_rule_is_named_with_its_pointer_and_code() {
    for app in TestApp::on_every_backend().await {
        // No connections: the connections rule fails too.
        let company = app.create_company("Unconnected").await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let reference_path = format!("/companies/{company}/reference-data");
        app.call(Method::PUT, &reference_path, Some(reference()))
            .await;
        let mut doc = example(false);
        doc["schedule"] =
            json!({"selectedFrequency": "Weekly", "syncHour": 25, "timeZone": "Mars/Olympus"});
        let c = &mut doc["configuration"];
        c["mapSettings"] = json!({"outputFormat": "Pdf"});
        c["sales"]["salesCustomer"]["selectedCustomerId"] = json!("c-002");
        c["sales"]["accounts"]["sales"]["selectedAccountId"] = json!("a1-999");
        c["sales"]["taxRates"]["20"]["selectedTaxRateId"] = json!("OLD175");
        c["sales"]["invoiceStatus"]["selectedInvoiceStatus"] = json!("Draft");
        c["sales"]["grouping"]["groupingPeriod"]["selectedGroupingPeriod"] = json!("Weekly");
        c["payments"]["accounts"]["payout"]["selectedAccountId"] = json!("b1-090");
        c["payments"]["accounts"]["prepaidPayment"] = json!({"selectedAccountId": "a1-835"});
        c["fees"]["feesSupplier"]["selectedSupplierId"] = json!("s-x");
        let (status, error) = app
            .call(Method::POST, &config_path(&company), Some(doc))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}", app.backend());
        let found = rules(&error);
        let expect = [
            ("option.not_provided", "/schedule/selectedFrequency"),
            ("schedule.start_date_missing", "/schedule/startDate"),
            ("schedule.sync_hour_out_of_range", "/schedule/syncHour"),
            ("schedule.time_zone_unknown", "/schedule/timeZone"),
            (
                "map_settings.output_format_invalid",
                "/configuration/mapSettings/outputFormat",
            ),
            (
                "account.not_in_options",
                "/configuration/sales/accounts/sales/selectedAccountId",
            ),
            (
                "payments.draft_invoices",
                "/configuration/sales/invoiceStatus/selectedInvoiceStatus",
            ),
            (
                "sales.customer_not_in_options",
                "/configuration/sales/salesCustomer/selectedCustomerId",
            ),
            (
                "tax_rate.not_in_options",
                "/configuration/sales/taxRates/20/selectedTaxRateId",
            ),
            (
                "option.not_provided",
                "/configuration/sales/grouping/groupingPeriod/selectedGroupingPeriod",
            ),
            (
                "account.not_in_options",
                "/configuration/payments/accounts/prepaidPayment/selectedAccountId",
            ),
            (
                "account.prepaid_same_as_prepaid_payment",
                "/configuration/payments/accounts/prepaidPayment/selectedAccountId",
            ),
            (
                "account.card_same_as_payout",
                "/configuration/payments/accounts/payout/selectedAccountId",
            ),
            (
                "fees.supplier_not_in_options",
                "/configuration/fees/feesSupplier/selectedSupplierId",
            ),
            ("connections.count", ""),
        ];
        for (code, pointer) in expect {
            assert!(
                found.contains(&(code.to_owned(), pointer.to_owned())),
                "{code} at {pointer} missing from {found:?}"
            );
        }
        assert!(!found.iter().any(|(c, _)| c == "schedule.frequency_missing"));
        assert_eq!(
            app.call(Method::GET, &config_path(&company), None).await.1["configured"],
            false,
            "nothing stored"
        );

        // The section rules: fees need payments, payments need sales, required slots.
        let company = self::company(&app, true).await;
        let mut doc = example(false);
        let c = &mut doc["configuration"];
        c["sales"]["syncSales"] = json!(false);
        c["payments"]["syncPayments"] = json!(false);
        c["sales"]["accounts"]["refund"]["selectedAccountId"] = Value::Null;
        let (status, error) = app
            .call(Method::POST, &config_path(&company), Some(doc))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            rules(&error),
            [(
                "fees.payments_missing".to_owned(),
                "/configuration/payments".to_owned()
            )]
        );
        let mut doc = example(false);
        doc["configuration"]["sales"]["syncSales"] = json!("yes");
        let (status, error) = app
            .call(Method::POST, &config_path(&company), Some(doc))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            rules(&error),
            [(
                "document.invalid_type".to_owned(),
                "/configuration/sales/syncSales".to_owned()
            )]
        );

        // Choices left unmade, and a start date in the past.
        let mut doc = example(false);
        doc["schedule"]["startDate"] = json!("2020-01-01");
        let c = &mut doc["configuration"];
        c["sales"]["salesCustomer"]["selectedCustomerId"] = Value::Null;
        c["sales"]["accounts"]["refund"]["selectedAccountId"] = Value::Null;
        for key in ["card", "cash", "payout"] {
            c["payments"]["accounts"][key]["selectedAccountId"] = Value::Null;
        }
        c["fees"]["feesSupplier"]["selectedSupplierId"] = Value::Null;
        let (status, error) = app
            .call(Method::POST, &config_path(&company), Some(doc))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let at = |code: &str, pointer: &str| (code.to_owned(), pointer.to_owned());
        assert_eq!(
            rules(&error),
            [
                at(
                    "account.required",
                    "/configuration/sales/accounts/refund/selectedAccountId"
                ),
                at(
                    "sales.customer_missing",
                    "/configuration/sales/salesCustomer/selectedCustomerId"
                ),
                at(
                    "account.required",
                    "/configuration/payments/accounts/card/selectedAccountId"
                ),
                at(
                    "fees.payment_account_missing",
                    "/configuration/payments/accounts"
                ),
                at(
                    "fees.supplier_missing",
                    "/configuration/fees/feesSupplier/selectedSupplierId"
                ),
                at("schedule.start_date_backdated", "/schedule/startDate"),
            ]
        );
        let mut doc = example(false);
        doc["configuration"]["sales"]["syncSales"] = json!(false);
        doc["configuration"]["fees"]["syncFees"] = json!(false);
        let (_, error) = app
            .call(Method::POST, &config_path(&company), Some(doc))
            .await;
        assert_eq!(
            rules(&error),
            [at(
                "payments.sales_not_synced",
                "/configuration/payments/syncPayments"
            )]
        );

        // The output format is chosen once.
        let (status, _, saved) = post(&app, &company, &example(false)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let (_, _, error) = post(&app, &company, &example(true)).await;
        assert_eq!(
            rules(&error),
            [at(
                "map_settings.output_format_locked",
                "/configuration/mapSettings/outputFormat"
            )]
        );
    }
}

#[tokio::test]
async fn writes_are_versioned_and_companies_are_the_clients_own() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app, true).await;
        let path = config_path(&company);
        let (status, _, saved) = post(&app, &company, &example(false)).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        let stale = app.request(Method::POST, &path).header("If-Match", "\"7\"");
        let (status, error) = TestApp::send(stale.json(&json!({"enable": false}))).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::CONFLICT, Some("conflict")),
            "{}",
            app.backend()
        );
        let fresh = app.request(Method::POST, &path).header("If-Match", "\"1\"");
        let response = fresh.json(&json!({"enable": false})).send().await.unwrap();
        assert_eq!(response.headers()["etag"], "\"2\"");

        let other = app.new_client_key("another-client").await;
        let preview = format!("/companies/{company}/sync/commerce/preview");
        let reference_path = format!("/companies/{company}/reference-data");
        for (method, path) in [
            (Method::GET, path.as_str()),
            (Method::POST, path.as_str()),
            (Method::GET, reference_path.as_str()),
            (Method::PUT, reference_path.as_str()),
            (Method::POST, preview.as_str()),
        ] {
            let body = match path {
                p if p == reference_path => reference(),
                p if p == preview => json!({"from": "2099-01-01", "to": "2099-01-02", "data": {}}),
                _ => example(false),
            };
            let request = app.request_as(&other, method.clone(), path).json(&body);
            let (status, error) = TestApp::send(request).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {error}");
            assert_eq!(error["code"], "company_not_found");
        }
        let unknown = config_path("6f1d7c1e-0000-4000-8000-000000000000");
        assert_eq!(
            app.call(Method::GET, &unknown, None).await.0,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_client_narrows_the_account_slots_its_merchants_see() {
    for app in TestApp::on_every_backend().await {
        let company = company(&app, true).await;
        let client = app.store.ensure_client("test-client").await.unwrap().id;
        let path = format!("/clients/{client}/config/ui/accounts/platform/gbol");
        let (status, all) = app.call(Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK, "{all}");
        let every: Vec<&str> = all["visibleAccounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(
            every.contains(&"payments-accounts-swish"),
            "all slots by default: {every:?}"
        );

        let set = "/sync/commerce/config/ui/accounts/platform/gbol";
        let (status, error) = app
            .call(
                Method::POST,
                set,
                Some(json!({"visibleAccounts": ["payments-accounts-cash", "card", 3]})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            pointers(&error),
            ["/visibleAccounts/1", "/visibleAccounts/2"]
        );
        let narrowed =
            json!({"visibleAccounts": ["payments-accounts-cash", "payments-accounts-payout"]});
        let (status, saved) = app.call(Method::POST, set, Some(narrowed.clone())).await;
        assert_eq!((status, &saved), (StatusCode::OK, &narrowed));
        assert_eq!(app.call(Method::GET, &path, None).await.1, narrowed);

        let (_, doc) = app.call(Method::GET, &config_path(&company), None).await;
        let payments: Vec<&String> = doc["configuration"]["payments"]["accounts"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            payments,
            ["card", "cash", "payout"],
            "required card stays: {doc}"
        );
        let sales: Vec<&String> = doc["configuration"]["sales"]["accounts"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(sales, ["sales", "refund"], "required sales slots stay");

        // Another client's id is not reachable with this key.
        let other = app.store.ensure_client("someone-else").await.unwrap().id;
        let (status, _) = app
            .call(
                Method::GET,
                &format!("/clients/{other}/config/ui/accounts/platform/gbol"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
