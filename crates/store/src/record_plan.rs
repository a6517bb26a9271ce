//! What each pushed record does to the stored one: decided here, once, for both databases.
//! The databases only read the current rows and carry out the plan.

use crate::records::{ApplyCounts, RecordChange};
use std::collections::{HashMap, HashSet};

/// The stored row a change is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Current {
    pub source_modified_date: Option<i64>,
    pub deleted: bool,
    /// The body, read only when the row has no `sourceModifiedDate` (see [`effect`]).
    pub undated_body: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// A new row, version 1.
    Insert,
    /// The current row moves to the history; the change becomes the current version
    /// (a delete makes it a tombstone).
    Replace,
    Unchanged,
}

/// The idempotency rule. Without a `sourceModifiedDate` on either side (some models have
/// none) the bodies decide, so such a record can still be corrected.
pub(crate) fn effect(change: &RecordChange, current: Option<&Current>) -> Effect {
    match current {
        None if change.delete => Effect::Unchanged,
        None => Effect::Insert,
        Some(c) if change.delete => {
            if c.deleted {
                Effect::Unchanged
            } else {
                Effect::Replace
            }
        }
        Some(c) if c.deleted => Effect::Replace,
        Some(c) => {
            let date = change.source_modified_date.map(|t| t.as_microsecond());
            let same = date == c.source_modified_date
                && (date.is_some() || c.undated_body.as_deref() == Some(&change.canonical_json));
            if same {
                Effect::Unchanged
            } else {
                Effect::Replace
            }
        }
    }
}

/// A segment's changes sorted by what the database must do with them.
#[derive(Debug, Default)]
pub(crate) struct Plan<'a> {
    pub inserts: Vec<&'a RecordChange>,
    pub replaces: Vec<&'a RecordChange>,
    pub counts: ApplyCounts,
}

impl<'a> Plan<'a> {
    /// Plans `changes` (ids unique) against the current rows found for them.
    pub fn new(changes: &[&'a RecordChange], current: &HashMap<String, Current>) -> Self {
        let mut plan = Plan::default();
        for &change in changes {
            let now = current.get(&change.id);
            match effect(change, now) {
                Effect::Insert => plan.inserts.push(change),
                Effect::Replace => {
                    if change.delete {
                        plan.counts.deleted += 1;
                    } else {
                        plan.counts.modified += 1;
                    }
                    plan.replaces.push(change);
                }
                Effect::Unchanged => plan.counts.unchanged += 1,
            }
        }
        // Inserts are counted by the caller once they land: on PostgreSQL a concurrent
        // push may insert the same id first, and the change is then planned again.
        plan
    }
}

/// Splits `changes` into runs with unique ids, in order, so a repeated id is applied
/// after its earlier occurrence and never twice in one statement.
pub(crate) fn segments(changes: &[RecordChange]) -> Vec<Vec<&RecordChange>> {
    let mut out = Vec::new();
    let mut run: Vec<&RecordChange> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for change in changes {
        if !seen.insert(change.id.as_str()) {
            out.push(std::mem::take(&mut run));
            seen.clear();
            seen.insert(change.id.as_str());
        }
        run.push(change);
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn change(id: &str, smd: Option<i64>, body: &str, delete: bool) -> RecordChange {
        RecordChange {
            id: id.into(),
            created_date: None,
            source_modified_date: smd.map(|m| Timestamp::from_microsecond(m).unwrap()),
            canonical_json: body.into(),
            delete,
        }
    }

    fn current(smd: Option<i64>, deleted: bool, body: Option<&str>) -> Current {
        Current {
            source_modified_date: smd,
            deleted,
            undated_body: body.map(str::to_owned),
        }
    }

    #[test]
    fn the_idempotency_rule() {
        let live = current(Some(5), false, None);
        let gone = current(Some(5), true, None);
        let undated = current(None, false, Some("{\"a\":1}"));
        use Effect::*;
        assert_eq!(effect(&change("a", Some(5), "x", false), None), Insert);
        assert_eq!(effect(&change("a", None, "x", true), None), Unchanged);
        assert_eq!(
            effect(&change("a", Some(5), "x", false), Some(&live)),
            Unchanged
        );
        assert_eq!(
            effect(&change("a", Some(6), "x", false), Some(&live)),
            Replace
        );
        assert_eq!(
            effect(&change("a", Some(4), "x", false), Some(&live)),
            Replace
        );
        assert_eq!(effect(&change("a", None, "x", false), Some(&live)), Replace);
        assert_eq!(effect(&change("a", None, "x", true), Some(&live)), Replace);
        assert_eq!(
            effect(&change("a", None, "x", true), Some(&gone)),
            Unchanged
        );
        assert_eq!(
            effect(&change("a", Some(5), "x", false), Some(&gone)),
            Replace
        );
        assert_eq!(
            effect(&change("a", None, "{\"a\":1}", false), Some(&undated)),
            Unchanged
        );
        assert_eq!(
            effect(&change("a", None, "{\"a\":2}", false), Some(&undated)),
            Replace
        );
    }

    #[test]
    fn segments_keep_order_and_split_on_repeats() {
        let cs = vec![
            change("a", None, "1", false),
            change("b", None, "1", false),
            change("a", None, "2", false),
            change("c", None, "1", false),
            change("a", None, "3", true),
        ];
        let ids: Vec<Vec<(&str, &str)>> = segments(&cs)
            .into_iter()
            .map(|s| {
                s.iter()
                    .map(|c| (c.id.as_str(), c.canonical_json.as_str()))
                    .collect()
            })
            .collect();
        assert_eq!(
            ids,
            vec![
                vec![("a", "1"), ("b", "1")],
                vec![("a", "2"), ("c", "1")],
                vec![("a", "3")]
            ]
        );
        assert!(segments(&[]).is_empty());
    }
}
