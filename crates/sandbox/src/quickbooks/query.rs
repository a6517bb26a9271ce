//! The query endpoint's SQL-ish language, the subset connectors use:
//! `select * | count(*) from Entity [where A = 'x' and B in ('y','z') and C like '%w%' and D >= '2026-01-01']
//! [orderby F [asc|desc]] [startposition n] [maxresults m]`. Keywords ignore case; string
//! equality ignores case; a `…Ref` field compares its `value`.

use crate::pipeline::Issue;
use serde_json::{Value, json};
use std::cmp::Ordering;

/// A parsed query.
#[derive(Debug)]
pub struct Query {
    pub entity: String,
    pub count: bool,
    conds: Vec<(String, String, Vec<String>)>,
    order: Option<(String, bool)>,
    start: usize,
    max: usize,
}

fn parse_error(q: &str, why: &str) -> Issue {
    Issue::new("4000", format!("QueryParserError: {why} in query: {q}"))
}

/// Splits into tokens: words, quoted strings (kept with quotes), operators and parentheses.
fn tokens(q: &str) -> Result<Vec<String>, Issue> {
    let mut out = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut s = String::from("'");
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(parse_error(q, "unterminated string")),
                    Some('\\') if chars.get(i + 1) == Some(&'\'') => {
                        s.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(s);
        } else if "(),".contains(c) {
            out.push(c.to_string());
            i += 1;
        } else if "<>=!".contains(c) {
            let mut op = c.to_string();
            if chars.get(i + 1) == Some(&'=') || (c == '<' && chars.get(i + 1) == Some(&'>')) {
                op.push(chars[i + 1]);
                i += 1;
            }
            out.push(op);
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !"(),<>=!'".contains(chars[i]) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        }
    }
    Ok(out)
}

pub fn parse(q: &str) -> Result<Query, Issue> {
    let t = tokens(q)?;
    let kw = |i: usize, w: &str| t.get(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
    if !kw(0, "select") {
        return Err(parse_error(q, "expected select"));
    }
    let mut i = 1;
    let count = kw(1, "count");
    while i < t.len() && !kw(i, "from") {
        i += 1;
    }
    let entity = t
        .get(i + 1)
        .cloned()
        .ok_or_else(|| parse_error(q, "expected an entity after from"))?;
    i += 2;
    let mut query = Query {
        entity,
        count,
        conds: Vec::new(),
        order: None,
        start: 1,
        max: 100,
    };
    if kw(i, "where") {
        i += 1;
        loop {
            let field = t
                .get(i)
                .cloned()
                .ok_or_else(|| parse_error(q, "expected a field"))?;
            let op = t
                .get(i + 1)
                .cloned()
                .ok_or_else(|| parse_error(q, "expected an operator"))?
                .to_ascii_lowercase();
            i += 2;
            let mut values = Vec::new();
            if op == "in" {
                if t.get(i).map(String::as_str) != Some("(") {
                    return Err(parse_error(q, "expected ( after in"));
                }
                i += 1;
                while let Some(tok) = t.get(i) {
                    i += 1;
                    match tok.as_str() {
                        ")" => break,
                        "," => continue,
                        v => values.push(v.trim_start_matches('\'').to_owned()),
                    }
                }
            } else if ["=", "<", ">", "<=", ">=", "!=", "<>", "like"].contains(&op.as_str()) {
                let v = t.get(i).ok_or_else(|| parse_error(q, "expected a value"))?;
                values.push(v.trim_start_matches('\'').to_owned());
                i += 1;
            } else {
                return Err(parse_error(q, &format!("unsupported operator {op}")));
            }
            query.conds.push((field, op, values));
            if kw(i, "and") {
                i += 1;
            } else {
                break;
            }
        }
    }
    while i < t.len() {
        if kw(i, "orderby") || (kw(i, "order") && kw(i + 1, "by")) {
            i += if kw(i, "order") { 2 } else { 1 };
            let f = t
                .get(i)
                .cloned()
                .ok_or_else(|| parse_error(q, "expected a field after orderby"))?;
            i += 1;
            let desc = kw(i, "desc");
            if desc || kw(i, "asc") {
                i += 1;
            }
            query.order = Some((f, desc));
        } else if kw(i, "startposition") || kw(i, "maxresults") {
            let n: usize = t
                .get(i + 1)
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| parse_error(q, "expected a number"))?;
            if kw(i, "startposition") {
                query.start = n.max(1);
            } else {
                query.max = n.clamp(1, 1000);
            }
            i += 2;
        } else {
            return Err(parse_error(q, &format!("unexpected '{}'", t[i])));
        }
    }
    Ok(query)
}

fn field(v: &Value, path: &str) -> String {
    let f = path
        .split('.')
        .fold(v, |v, k| v.get(k).unwrap_or(&Value::Null));
    let f = f.get("value").unwrap_or(f);
    match f {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn compare(a: &str, b: &str) -> Ordering {
    match (
        a.parse::<rust_decimal::Decimal>(),
        b.parse::<rust_decimal::Decimal>(),
    ) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

fn like(have: &str, pattern: &str) -> bool {
    let (h, p) = (have.to_lowercase(), pattern.to_lowercase());
    match (p.strip_prefix('%'), p.strip_suffix('%')) {
        (Some(x), _) if x.ends_with('%') => h.contains(x.trim_end_matches('%')),
        (Some(x), _) => h.ends_with(x),
        (None, Some(x)) => h.starts_with(x),
        (None, None) => h == p,
    }
}

impl Query {
    /// Answers the query over `items` as QuickBooks' `QueryResponse` (no entity key when empty).
    pub fn run(&self, name: &str, items: &[Value]) -> Value {
        let mut hits: Vec<&Value> = items
            .iter()
            .filter(|v| {
                self.conds.iter().all(|(f, op, vals)| {
                    let have = field(v, f);
                    let o = || compare(&have, &vals[0]);
                    match op.as_str() {
                        "in" => vals.iter().any(|x| compare(&have, x) == Ordering::Equal),
                        "like" => like(&have, &vals[0]),
                        "=" => o() == Ordering::Equal,
                        "!=" | "<>" => o() != Ordering::Equal,
                        "<" => o() == Ordering::Less,
                        ">" => o() == Ordering::Greater,
                        "<=" => o() != Ordering::Greater,
                        ">=" => o() != Ordering::Less,
                        _ => false,
                    }
                })
            })
            .collect();
        if self.count {
            return json!({"totalCount": hits.len()});
        }
        if let Some((f, desc)) = &self.order {
            hits.sort_by(|a, b| {
                let o = compare(&field(a, f), &field(b, f));
                if *desc { o.reverse() } else { o }
            });
        }
        let page: Vec<Value> = hits
            .into_iter()
            .skip(self.start - 1)
            .take(self.max)
            .cloned()
            .collect();
        if page.is_empty() {
            return json!({});
        }
        json!({name: page.clone(), "startPosition": self.start, "maxResults": page.len()})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_filters() {
        let items = vec![
            json!({"Id": "1", "DocNumber": "1001", "CustomerRef": {"value": "1"}, "TxnDate": "2026-11-25"}),
            json!({"Id": "2", "DocNumber": "cs-2", "CustomerRef": {"value": "2"}, "TxnDate": "2026-11-26"}),
        ];
        let run = |q: &str| parse(q).unwrap().run("Invoice", &items);
        assert_eq!(
            run("select * from Invoice where DocNumber = '1001'")["Invoice"][0]["Id"],
            "1"
        );
        assert_eq!(
            run("SELECT * FROM Invoice WHERE CustomerRef = '2' AND TxnDate >= '2026-11-26'")["Invoice"]
                [0]["Id"],
            "2"
        );
        assert_eq!(
            run("select * from Invoice where DocNumber in ('x', 'cs-2')")["Invoice"][0]["Id"],
            "2"
        );
        assert_eq!(
            run("select * from Invoice where DocNumber like 'cs%'")["maxResults"],
            1
        );
        assert_eq!(
            run("select * from Invoice where DocNumber = 'none'"),
            json!({})
        );
        assert_eq!(
            run("select count(*) from Invoice"),
            json!({"totalCount": 2})
        );
        assert_eq!(
            run("select * from Invoice orderby Id desc maxresults 1")["Invoice"][0]["Id"],
            "2"
        );
        assert_eq!(
            run("select * from Invoice startposition 2")["Invoice"][0]["Id"],
            "2"
        );
        assert!(parse("select * from Invoice where DocNumber = 'x").is_err());
        assert!(parse("delete from Invoice").is_err());
    }
}
