//! Creating what the books lack from the page (an account, the daily sales customer, the fees
//! supplier): the same creation as the API's `POST …/connections/{id}/push/{dataType}`, then
//! the new record is selected in the field it was created for.

use super::Ctx;
use super::fields::{Control, apply_form, sections, set_pointer};
use super::mapping::view;
use super::render::form_expired;
use super::stages::Stage;
use crate::AppState;
use crate::routes::accounting_push::create_record;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::PlatformKey;
use engine::connectors::live_accounting;
use serde_json::{Value, json};

/// A value of the submitted stage form.
fn value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim())
}

/// The kind of account a slot takes, from its pointer (`/configuration/{section}/accounts/{key}/…`).
fn account_type(pointer: &str) -> &'static str {
    let mut parts = pointer.split('/').skip(2);
    let section = parts.next().unwrap_or_default();
    let key = parts.nth(1).unwrap_or_default();
    match section {
        "payments" | "newPayments" => "Asset",
        "fees" => "Expense",
        _ if key == "prepaid" || key == "taxLiability" || key.starts_with("taxComponent.") => {
            "Liability"
        }
        _ => "Income",
    }
}

/// `POST /sync-flow/companies/{companyId}/create/{accounts|customers|suppliers}`
pub async fn create(
    State(state): State<AppState>,
    Path((_, data_type)): Path<(String, String)>,
    ctx: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let mut ctx = ctx;
    if !ctx.session.csrf_ok(value(&form, "csrf")) {
        return form_expired(&ctx);
    }
    // The button pressed names the field; Enter in a name box presses the form's first
    // button instead, so the field whose name box was filled in wins over a blank one.
    let pressed = value(&form, "create").unwrap_or_default();
    let typed = |p: &str| value(&form, &format!("create-name {p}")).is_some_and(|n| !n.is_empty());
    let pointer = if typed(pressed) {
        pressed.to_owned()
    } else {
        form.iter()
            .find_map(|(k, v)| {
                k.strip_prefix("create-name ")
                    .filter(|_| !v.trim().is_empty())
            })
            .unwrap_or(pressed)
            .to_owned()
    };
    let stage = Stage::owning(&pointer);
    let mut view = match view(&state, &ctx).await {
        Ok(view) => view,
        Err(elsewhere) => return elsewhere,
    };
    let fields: Vec<_> = sections(
        stage,
        &view.document,
        &ctx.texts,
        &view.platform,
        view.configured,
    )
    .into_iter()
    .flat_map(|s| s.fields)
    .collect();
    // Only a field of the page that offers creating this kind may receive the new record.
    let offered = fields.iter().any(|f| {
        f.pointer == pointer
            && matches!(f.control, Control::Select { create: Some(kind), .. } if kind.data_type() == data_type)
    });
    if !offered {
        return ctx.to(stage.slug());
    }
    // The merchant's other answers on the page are kept, as if the stage had been sent.
    apply_form(&mut view.draft, &fields, &form);
    let name = value(&form, &format!("create-name {pointer}"))
        .unwrap_or_default()
        .to_owned();
    let code = value(&form, &format!("create-code {pointer}")).filter(|c| !c.is_empty());
    let connections = state
        .store
        .list_connections(ctx.session.client, ctx.company())
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    let Some(connection) = live_accounting(&connections).cloned() else {
        return ctx.to(Stage::Accounting.slug());
    };
    let raw = match data_type.as_str() {
        "accounts" => {
            let kind = account_type(&pointer);
            // Money paid in lands on a clearing account: in QuickBooks a Bank one, the only
            // kind that may also pay the fee bills; in Xero an asset with payments enabled.
            let bank = kind == "Asset" && connection.platform_key == PlatformKey::QuickBooksOnline;
            json!({"name": name, "nominalCode": code, "type": kind, "isBankAccount": bank})
        }
        "customers" => json!({"customerName": name}),
        _ => json!({"supplierName": name}),
    };
    let t = ctx.texts.clone();
    match create_record(
        &state,
        ctx.session.client,
        ctx.company(),
        connection.id,
        &data_type,
        &raw,
    )
    .await
    {
        Ok(created) => {
            let id = created.get("id").cloned().unwrap_or(Value::Null);
            set_pointer(&mut view.draft, &pointer, Some(id));
            ctx.session.data.draft = Some(view.draft);
            ctx.session.data.notice = Some(t.f(
                "create.done",
                &[("name", &name), ("platform", &view.platform)],
            ));
            tracing::info!(company_id = %ctx.company(), %data_type, "record created from the sync flow");
        }
        Err(e) => {
            let reason = e
                .errors
                .first()
                .map(|i| i.message.clone())
                .unwrap_or(e.message);
            ctx.session.data.notice = Some(t.f(
                "create.failed",
                &[("platform", &view.platform), ("reason", &reason)],
            ));
        }
    }
    if let Err(e) = ctx.session.save(&state).await {
        return ctx.failure("saving the draft", e);
    }
    ctx.to(stage.slug())
}

#[cfg(test)]
mod tests {
    use super::account_type;

    #[test]
    fn each_slot_gets_the_kind_of_account_it_offers() {
        assert_eq!(
            account_type("/configuration/sales/accounts/sales/selectedAccountId"),
            "Income"
        );
        assert_eq!(
            account_type("/configuration/sales/accounts/prepaid/selectedAccountId"),
            "Liability"
        );
        assert_eq!(
            account_type("/configuration/payments/accounts/card/selectedAccountId"),
            "Asset"
        );
        assert_eq!(
            account_type("/configuration/fees/accounts/paymentFee/selectedAccountId"),
            "Expense"
        );
    }
}
