"""The merchant's journey driven by Codat's published Python client, base URL changed only.

Usage: journey.py BASE_URL API_KEY CLIENT_ID WEEK_JSON. Every call the SDK has is made through the SDK
(companies, connections, authorization, configuration, visible accounts, sync requests and
statuses); the SDK (codat-sync-for-commerce 6.1.0) has no data-status, data-push or
push-item calls, and its set_configuration sends no body, so those go over plain HTTP. Prints one JSON line; exits non-zero on any error.
"""

import base64
import json
import sys
import time
import urllib.request

from codat_sync_for_commerce import CodatSyncCommerce
from codat_sync_for_commerce.models import errors, shared

base_url, api_key, client_id, week_file = sys.argv[1:5]
week = json.load(open(week_file))
auth = "Basic " + base64.b64encode(api_key.encode()).decode()
sdk = CodatSyncCommerce(security=shared.Security(auth_header=auth), server_url=base_url)


def http(method, path, body=None):
    """A call the SDK does not have."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base_url + path, data=data, method=method)
    request.add_header("Authorization", auth)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def until(what, check, seconds=300):
    deadline = time.time() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.time() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.2)


company = sdk.advanced_controls.create_company(request={"name": "SDK Bikes"})
sdk.connections.create(request={"company_id": company.id, "request_body": {"platform_key": "cmrc"}})
xero = sdk.connections.create(request={"company_id": company.id, "request_body": {"platform_key": "gbol"}})
tenant = http("POST", "/sandbox/xero/_control/tenants", {"name": "SDK Bikes Ltd"})
linked = sdk.connections.update_authorization(request={
    "company_id": company.id,
    "connection_id": xero.id,
    "request_body": {k: tenant[k] for k in ("accessToken", "refreshToken", "expiresAt", "tenantId")},
})
assert linked.status == shared.DataConnectionStatus.LINKED, linked

# The books are read on link; the data status says when (no SDK call for it).
until("the books to be read", lambda: http("GET", f"/companies/{company.id}/dataStatus")["chartOfAccounts"]["currentStatus"] == "Complete")


def configuration():
    try:
        return sdk.advanced_controls.get_configuration(request={"company_id": company.id})
    except errors.SDKError as e:  # 409 while a read runs
        if e.status_code == 409:
            return None
        raise


config = until("the configuration", configuration)

# The client narrows what its merchants see; the SDK reads it back.
sdk.sync_flow_settings.update_visible_accounts_sync_flow(request={
    "platform_key": "gbol",
    "visible_accounts": {"visible_accounts": ["sales-accounts-gratuity", "payments-accounts-cash", "payments-accounts-paypal", "payments-accounts-payout", "fees-accounts-paymentFee"]},
})
visible = sdk.sync_flow_settings.get_visible_accounts(request={"client_id": client_id, "platform_key": "gbol"})
assert "payments-accounts-cash" in visible.visible_accounts, visible
config = sdk.advanced_controls.get_configuration(request={"company_id": company.id})
assert "swish" not in config.configuration.payments.accounts, "hidden from the merchant"

c = config.configuration


def pick(options, name):
    for o in options or []:
        if o.name == name:
            return o.id
    raise SystemExit(f"{name!r} not offered among {[o.name for o in options or []]}")


def account(section, key, name):
    slot = section.accounts[key]
    slot.selected_account_id = pick(slot.account_options, name)


account(c.sales, "sales", "Sales")
account(c.sales, "refund", "Sales Refunds")
account(c.sales, "gratuity", "Gratuities Payable")
for key, name in [("20", "20% (VAT on Income)"), ("5", "5% (VAT on Income)"), ("0", "Zero Rated Income")]:
    rate = c.sales.tax_rates[key]
    rate.selected_tax_rate_id = pick(rate.tax_rate_options, name)
c.sales.sales_customer.selected_customer_id = pick(c.sales.sales_customer.customer_options, "Commerce Sales")
c.sales.new_tax_rates.selected_default_zero_tax_rate_id = pick(c.sales.new_tax_rates.default_zero_tax_rate_options, "Zero Rated Income")
c.sales.sync_sales = True
account(c.payments, "card", "Card Clearing")
account(c.payments, "cash", "Cash Takings")
account(c.payments, "paypal", "Business Bank Account")
account(c.payments, "payout", "Business Bank Account")
c.payments.sync_payments = True
account(c.fees, "paymentFee", "Payment Processing Fees")
c.fees.fees_supplier.selected_supplier_id = pick(c.fees.fees_supplier.supplier_options, "Payment Processor Ltd")
c.fees.sync_fees = True
config.enable = True
config.schedule.start_date = week["today"]
config.schedule.time_zone = week["zone"]
config.schedule.sync_hour = 2
# The SDK's set_configuration sends no body (Codat's spec declares none for that POST), so the
# document the SDK read and edited is posted over plain HTTP, in the SDK's own serialization.
document = json.loads(config.model_dump_json(by_alias=True, exclude_none=True))
saved = http("POST", f"/config/companies/{company.id}/sync/commerce", document)
assert saved["configured"], saved
reread = sdk.advanced_controls.get_configuration(request={"company_id": company.id})
assert reread.configured and reread.configuration.payments.accounts["cash"].selected_account_id, reread

for kind, key in [("commerce-orders", "orders"), ("commerce-payments", "payments"), ("commerce-transactions", "transactions")]:
    dataset = http("POST", f"/companies/{company.id}/data/{kind}", {key: week[key]})
    until(f"{kind} stored", lambda: http("GET", f"/meta/companies/{company.id}/pull/history/{dataset['datasetId']}")["status"] == "Complete")

summary = sdk.sync.request_for_date_range(request={
    "company_id": company.id,
    "sync_range": {"date_range": {"start": week["start"], "finish": week["finish"]}},
})
done = until("the sync", lambda: (lambda s: s if s.sync_status_code >= 2000 else None)(
    sdk.sync.get(request={"company_id": company.id, "sync_id": summary.commerce_sync_id})))
assert done.sync_status_code == 2000, done
latest = sdk.sync.get_latest_sync(request={"company_id": company.id})
last_ok = sdk.sync.get_last_successful_sync(request={"company_id": company.id})
syncs = sdk.sync.list(request={"company_id": company.id})
status = sdk.sync.get_status(request={"company_id": company.id})
items = http("GET", f"/companies/{company.id}/push")

print(json.dumps({
    "companyId": company.id,
    "syncId": summary.commerce_sync_id,
    "latest": latest.sync_id,
    "lastSuccessful": last_ok.sync_id,
    "syncs": len(syncs),
    "statusCode": status.sync_status_code,
    "pushItems": items["totalResults"],
    "tenantId": tenant["tenantId"],
    "visible": visible.visible_accounts,
}))
