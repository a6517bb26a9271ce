"""Drives commerce-sync with Codat's published Python client, changing only the base URL.

Usage: check.py BASE_URL API_KEY. Prints one JSON line with what it saw; exits non-zero on
any error (an SDK error means our paths or JSON differ from Codat's).
"""

import base64
import json
import sys

from codat_sync_for_commerce import CodatSyncCommerce
from codat_sync_for_commerce.models import shared

base_url, api_key = sys.argv[1], sys.argv[2]
auth = "Basic " + base64.b64encode(api_key.encode()).decode()
sdk = CodatSyncCommerce(security=shared.Security(auth_header=auth), server_url=base_url)

company = sdk.advanced_controls.create_company(
    request={"name": "SDK Shop", "description": "made by Codat's SDK", "tags": {"source": "sdk"}}
)
assert company.name == "SDK Shop", company
companies = sdk.advanced_controls.list_companies(request={"page": 1, "page_size": 10})
assert companies.total_results >= 1 and any(c.id == company.id for c in companies.results), companies

connection = sdk.connections.create(request={"company_id": company.id, "request_body": {"platform_key": "gbol"}})
assert connection.status == shared.DataConnectionStatus.PENDING_AUTH, connection
assert connection.integration_key == "gbol" and connection.source_type == shared.SourceType.ACCOUNTING

linked = sdk.connections.update_authorization(
    request={
        "company_id": company.id,
        "connection_id": connection.id,
        "request_body": {
            "accessToken": "sdk-access",
            "refreshToken": "sdk-refresh",
            "expiresAt": "2030-01-01T00:00:00Z",
            "tenantId": "0b5d8c2e-3a4f-4c6e-9d7a-1e2f3a4b5c6d",
        },
    }
)
assert linked.status == shared.DataConnectionStatus.LINKED, linked

connections = sdk.connections.list(request={"company_id": company.id})
assert [c.id for c in connections.results] == [connection.id], connections

unlinked = sdk.connections.update_connection(
    request={"company_id": company.id, "connection_id": connection.id, "update_connection": {"status": "Unlinked"}}
)
assert unlinked.status == shared.DataConnectionStatus.UNLINKED, unlinked

integrations = sdk.integrations.list(request={})
branding = sdk.integrations.get_branding(request={"platform_key": "qhyg"})

print(json.dumps({
    "companyId": company.id,
    "connectionId": connection.id,
    "companies": companies.total_results,
    "integrations": [i.key for i in integrations.results],
    "brandingLogo": branding.logo.full.image.src,
}))
