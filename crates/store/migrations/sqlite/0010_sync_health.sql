-- The Sync Health pages read one client's syncs across all its companies: newest first, oldest
-- first, or by status code, a page at a time. These indexes let the database walk the syncs in
-- the order asked and stop after the page, instead of sorting every sync of the client.
CREATE INDEX syncs_by_requested ON syncs(requested, id);
CREATE INDEX syncs_by_status ON syncs(status_code, requested, id);

-- A merchant's webhook deliveries: the events of one company, newest first.
CREATE INDEX webhook_events_by_company ON webhook_events(company_id, occurred);
