//! One tenant's books (a Xero organisation or a QuickBooks company): every record in the
//! platform's own JSON shape, grouped by type, plus the idempotency memory. Nothing here is
//! shared between tenants; each tenant sits behind its own lock.

use crate::faults::Faults;
use crate::limits::Limiter;
use jiff::civil::Date;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;

/// A tenant's data.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub name: String,
    pub country: String,
    pub currency: String,
    /// Documents dated on or before this day are refused (Xero's period lock date,
    /// QuickBooks' books close date).
    pub lock_date: Option<Date>,
    collections: BTreeMap<String, Vec<Value>>,
    counters: HashMap<String, u64>,
    /// Idempotency key (or QuickBooks requestid) → the successful answer it produced.
    replies: HashMap<String, Value>,
}

impl Tenant {
    pub fn new(id: String, name: String, country: String, currency: String) -> Self {
        Self {
            id,
            name,
            country,
            currency,
            lock_date: None,
            collections: BTreeMap::new(),
            counters: HashMap::new(),
            replies: HashMap::new(),
        }
    }

    pub fn list(&self, kind: &str) -> &[Value] {
        self.collections.get(kind).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn push(&mut self, kind: &str, v: Value) {
        self.collections.entry(kind.to_owned()).or_default().push(v);
    }

    /// The first record of `kind` whose `field` equals `value` (string comparison).
    pub fn find(&self, kind: &str, field: &str, value: &str) -> Option<&Value> {
        self.list(kind).iter().find(|v| field_is(v, field, value))
    }

    pub fn find_mut(&mut self, kind: &str, field: &str, value: &str) -> Option<&mut Value> {
        self.collections
            .get_mut(kind)?
            .iter_mut()
            .find(|v| field_is(v, field, value))
    }

    /// Takes a record out of its collection.
    pub fn remove(&mut self, kind: &str, field: &str, value: &str) -> Option<Value> {
        let list = self.collections.get_mut(kind)?;
        let at = list.iter().position(|v| field_is(v, field, value))?;
        Some(list.remove(at))
    }

    /// Next number in a per-tenant sequence (document numbers, QuickBooks ids).
    pub fn next(&mut self, sequence: &str) -> u64 {
        let n = self.counters.entry(sequence.to_owned()).or_insert(0);
        *n += 1;
        *n
    }

    pub fn reply_for(&self, key: &str) -> Option<&Value> {
        self.replies.get(key)
    }

    pub fn remember_reply(&mut self, key: String, reply: Value) {
        self.replies.insert(key, reply);
    }

    /// Every collection, keyed by the platform's type name.
    pub fn books(&self) -> Value {
        let mut out = Map::new();
        for (k, v) in &self.collections {
            out.insert(k.clone(), Value::Array(v.clone()));
        }
        Value::Object(out)
    }
}

fn field_is(v: &Value, field: &str, value: &str) -> bool {
    match v.get(field) {
        Some(Value::String(s)) => s == value,
        Some(Value::Number(n)) => n.to_string() == value,
        _ => false,
    }
}

/// A tenant with its limiter, in-flight counter and optional tenant-scoped faults, each under
/// its own lock so a slow request never blocks the books.
#[derive(Debug)]
pub struct TenantCell {
    pub books: Mutex<Tenant>,
    pub limiter: Mutex<Limiter>,
    pub in_flight: AtomicUsize,
    pub faults: Mutex<Option<Faults>>,
}

impl TenantCell {
    pub fn new(t: Tenant) -> Self {
        Self {
            books: Mutex::new(t),
            limiter: Mutex::new(Limiter::default()),
            in_flight: AtomicUsize::new(0),
            faults: Mutex::new(None),
        }
    }
}

/// Locks, recovering from a poisoned lock (a panicking request must not wedge a tenant).
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
