//! Filters on Xero's GET endpoints: `IDs`, `InvoiceNumbers`, `ContactIDs`, `Statuses`, `page`
//! (100 a page) and a useful subset of `where`: clauses joined by `AND`/`&&` and `OR`/`||`,
//! each `Path op value` with `==`, `!=`, `>=`, `<=`, `>`, `<` on strings, `Guid("…")`,
//! numbers, booleans and `DateTime(y,m,d)`, or `Path.Contains|StartsWith|EndsWith("…")`.
//! String equality ignores case, as Xero's does.

use super::Coll;
use crate::money::{dec, parse_date};
use crate::pipeline::ApiError;
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::HashMap;

pub fn select(
    items: &[Value],
    q: &HashMap<String, String>,
    c: Coll,
) -> Result<Vec<Value>, ApiError> {
    let lists = [
        ("IDs", c.id),
        ("InvoiceNumbers", "InvoiceNumber"),
        ("ContactIDs", "Contact.ContactID"),
        ("Statuses", "Status"),
    ];
    let clauses = match q.get("where") {
        Some(w) if !w.trim().is_empty() => parse(w)?,
        _ => Vec::new(),
    };
    let mut out: Vec<Value> = items
        .iter()
        .filter(|v| {
            lists.iter().all(|(param, path)| match q.get(*param) {
                None => true,
                Some(list) => {
                    let have = text(field(v, path));
                    list.split(',')
                        .any(|x| x.trim().eq_ignore_ascii_case(&have))
                }
            })
        })
        .filter(|v| clauses.is_empty() || clauses.iter().any(|and| and.iter().all(|c| c.holds(v))))
        .cloned()
        .collect();
    if let Some(p) = q.get("page").and_then(|p| p.parse::<usize>().ok()) {
        let start = p.saturating_sub(1) * 100;
        out = out.into_iter().skip(start).take(100).collect();
    }
    Ok(out)
}

fn field<'a>(v: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[derive(Debug)]
enum Literal {
    Text(String),
    Number(rust_decimal::Decimal),
    Bool(bool),
    Date(jiff::civil::Date),
}

#[derive(Debug)]
struct Clause {
    path: String,
    op: String,
    value: Literal,
}

impl Clause {
    fn holds(&self, v: &Value) -> bool {
        let f = field(v, &self.path);
        let ord = match &self.value {
            Literal::Text(t) => {
                let have = text(f);
                match self.op.as_str() {
                    "Contains" => return have.to_lowercase().contains(&t.to_lowercase()),
                    "StartsWith" => return have.to_lowercase().starts_with(&t.to_lowercase()),
                    "EndsWith" => return have.to_lowercase().ends_with(&t.to_lowercase()),
                    _ => Some(have.to_lowercase().cmp(&t.to_lowercase())),
                }
            }
            Literal::Number(n) => dec(f).map(|x| x.cmp(n)),
            Literal::Bool(b) => f.as_bool().map(|x| x.cmp(b)),
            Literal::Date(d) => parse_date(f).map(|x| x.cmp(d)),
        };
        let Some(ord) = ord else {
            return self.op == "!=";
        };
        match self.op.as_str() {
            "==" => ord == Ordering::Equal,
            "!=" => ord != Ordering::Equal,
            ">=" => ord != Ordering::Less,
            "<=" => ord != Ordering::Greater,
            ">" => ord == Ordering::Greater,
            "<" => ord == Ordering::Less,
            _ => false,
        }
    }
}

fn bad(w: &str) -> ApiError {
    ApiError::BadRequest(format!(
        "QueryParseException: could not parse the where clause '{w}'"
    ))
}

/// Splits on a separator outside double quotes, ignoring ASCII case.
fn split_outside_quotes<'a>(s: &'a str, seps: &[&str]) -> Vec<&'a str> {
    let (mut parts, mut start, mut quoted, mut i) = (Vec::new(), 0, false, 0);
    let lower = s.to_ascii_lowercase();
    while i < s.len() {
        if s.as_bytes()[i] == b'"' {
            quoted = !quoted;
        } else if !quoted
            && let Some(sep) = seps
                .iter()
                .find(|sep| lower[i..].starts_with(&sep.to_ascii_lowercase()))
        {
            parts.push(&s[start..i]);
            i += sep.len();
            start = i;
            continue;
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

fn parse(w: &str) -> Result<Vec<Vec<Clause>>, ApiError> {
    split_outside_quotes(w, &[" OR ", "||"])
        .into_iter()
        .map(|or| {
            split_outside_quotes(or, &[" AND ", "&&"])
                .into_iter()
                .map(|c| clause(c.trim()).ok_or_else(|| bad(w)))
                .collect()
        })
        .collect()
}

fn clause(c: &str) -> Option<Clause> {
    let mut c = c.trim();
    while let Some(inner) = c.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        c = inner.trim();
    }
    for m in ["Contains", "StartsWith", "EndsWith"] {
        if let Some((path, rest)) = c.split_once(&format!(".{m}(")) {
            let arg = rest.strip_suffix(')')?.trim();
            return Some(Clause {
                path: path.trim().into(),
                op: m.into(),
                value: Literal::Text(arg.strip_prefix('"')?.strip_suffix('"')?.into()),
            });
        }
    }
    let op = ["==", "!=", ">=", "<=", ">", "<", "="]
        .into_iter()
        .find(|op| split_outside_quotes(c, &[op]).len() == 2)?;
    let (path, raw) = c.split_once(op)?;
    let raw = raw.trim();
    let value = if let Some(q) = raw.strip_prefix('"') {
        Literal::Text(q.strip_suffix('"')?.into())
    } else if let Some(g) = raw
        .strip_prefix("Guid(")
        .or_else(|| raw.strip_prefix("guid("))
    {
        Literal::Text(g.strip_suffix(')')?.trim_matches('"').into())
    } else if let Some(d) = raw.strip_prefix("DateTime(") {
        let parts: Vec<i32> = d
            .strip_suffix(')')?
            .split(',')
            .take(3)
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        Literal::Date(
            jiff::civil::Date::new(
                i16::try_from(*parts.first()?).ok()?,
                i8::try_from(*parts.get(1)?).ok()?,
                i8::try_from(*parts.get(2)?).ok()?,
            )
            .ok()?,
        )
    } else if raw.eq_ignore_ascii_case("true") || raw.eq_ignore_ascii_case("false") {
        Literal::Bool(raw.eq_ignore_ascii_case("true"))
    } else {
        Literal::Number(raw.parse().ok()?)
    };
    Some(Clause {
        path: path.trim().into(),
        op: if op == "=" { "==".into() } else { op.into() },
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn where_clauses() {
        let v = json!({"Reference": "cs-1", "Type": "ACCREC", "Total": 10.5, "Contact": {"ContactID": "abc"}, "Date": "/Date(1764115200000+0000)/"});
        let ok = |w: &str| {
            parse(w)
                .unwrap()
                .iter()
                .any(|a| a.iter().all(|c| c.holds(&v)))
        };
        assert!(ok(r#"Reference=="cs-1""#));
        assert!(ok(r#"Reference == "CS-1" AND Type=="ACCREC""#));
        assert!(!ok(r#"Reference=="cs-2""#));
        assert!(ok(r#"Reference=="x" OR Total>=10"#));
        assert!(ok(r#"Contact.ContactID==Guid("abc")"#));
        assert!(ok(r#"Reference.StartsWith("cs")"#));
        assert!(ok("Date>=DateTime(2025,11,26)"));
        assert!(!ok("Date>DateTime(2025,11,26)"));
        assert!(ok(r#"Reference=="a AND b" OR Type=="ACCREC""#));
        assert!(parse("Reference ~ 1").is_err());
    }
}
