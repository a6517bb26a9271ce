use crate::error::{ApiError, ValidationItem};
use domain::paging::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use domain::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `page` and `pageSize` as the client sent them; read as text so a bad value is named.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1)]
    pub page: Option<String>,
    /// Items per page, 1 to 5000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 5000)]
    pub page_size: Option<String>,
    /// Codat query filter (not yet supported: refused rather than ignored).
    pub query: Option<String>,
    /// Ordering (not yet supported: refused rather than ignored).
    pub order_by: Option<String>,
}

impl PageQuery {
    pub fn parse(&self) -> Result<PageRequest, ApiError> {
        let mut errors = Vec::new();
        let mut number = |name: &str, raw: &Option<String>, default: u32, max: u32| match raw {
            None => default,
            Some(text) => match text.trim().parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    errors.push(ValidationItem::parameter(
                        name,
                        format!("{name} must be a whole number from 1 to {max}, found {text:?}"),
                    ));
                    default
                }
            },
        };
        let page = number("page", &self.page, 1, u32::MAX);
        let page_size = number(
            "pageSize",
            &self.page_size,
            DEFAULT_PAGE_SIZE,
            MAX_PAGE_SIZE,
        );
        for (name, value) in [("query", &self.query), ("orderBy", &self.order_by)] {
            if value.as_ref().is_some_and(|v| !v.trim().is_empty()) {
                errors.push(ValidationItem::parameter(
                    name,
                    format!("{name} is not supported yet; list without it and filter client-side"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(PageRequest { page, page_size })
        } else {
            Err(ApiError::invalid(errors))
        }
    }
}

/// A page of results with Codat's paging fields and HAL links.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Paged<T> {
    pub results: Vec<T>,
    pub page_number: u32,
    pub page_size: u32,
    pub total_results: u64,
    #[serde(rename = "_links")]
    pub links: Links,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    #[serde(rename = "self")]
    pub self_: Href,
    pub current: Href,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Href>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Href>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Href {
    pub href: String,
}

impl<T> Paged<T> {
    /// Wraps `page`, mapping its items, with links relative to `path`.
    pub fn new<U>(page: Page<U>, path: &str, map: impl FnMut(U) -> T) -> Self {
        let request = page.request;
        let link = |n: u32| Href {
            href: format!("{path}?page={n}&pageSize={}", request.page_size),
        };
        Self {
            links: Links {
                self_: Href {
                    href: path.to_owned(),
                },
                current: link(request.page),
                next: page.has_next().then(|| link(request.page + 1)),
                previous: (request.page > 1).then(|| link(request.page - 1)),
            },
            page_number: request.page,
            page_size: request.page_size,
            total_results: page.total,
            results: page.items.into_iter().map(map).collect(),
        }
    }
}
