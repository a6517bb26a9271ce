//! The six stages of the Sync Flow, in order, and which part of the configuration document
//! each one owns (so a validation message is shown on the stage that can fix it).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Commerce,
    Accounting,
    Sales,
    Fees,
    Payments,
    Schedule,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Commerce,
        Stage::Accounting,
        Stage::Sales,
        Stage::Fees,
        Stage::Payments,
        Stage::Schedule,
    ];

    /// The stages whose choices are written into the configuration document.
    pub const MAPPING: [Stage; 4] = [Stage::Sales, Stage::Fees, Stage::Payments, Stage::Schedule];

    pub fn slug(self) -> &'static str {
        match self {
            Stage::Commerce => "commerce",
            Stage::Accounting => "accounting",
            Stage::Sales => "sales",
            Stage::Fees => "fees",
            Stage::Payments => "payments",
            Stage::Schedule => "schedule",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn title_key(self) -> String {
        format!("stage.{}", self.slug())
    }

    /// 1-based position.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self.number()).copied()
    }

    pub fn previous(self) -> Option<Self> {
        self.number().checked_sub(2).map(|i| Self::ALL[i])
    }

    /// The stage that owns a configuration pointer; what no other stage owns (the whole
    /// document, the schedule) is the last stage's.
    pub fn owning(pointer: &str) -> Self {
        let under = |prefix: &str| pointer == prefix || pointer.starts_with(&format!("{prefix}/"));
        if under("/configuration/sales") || under("/configuration/mapSettings") {
            Stage::Sales
        } else if under("/configuration/fees") {
            Stage::Fees
        } else if under("/configuration/payments") || under("/configuration/newPayments") {
            Stage::Payments
        } else {
            Stage::Schedule
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Stage;

    #[test]
    fn pointers_belong_to_the_stage_that_shows_them() {
        assert_eq!(
            Stage::owning("/configuration/sales/accounts/sales/selectedAccountId"),
            Stage::Sales
        );
        assert_eq!(
            Stage::owning("/configuration/mapSettings/outputFormat"),
            Stage::Sales
        );
        assert_eq!(Stage::owning("/configuration/salesX"), Stage::Schedule);
        assert_eq!(
            Stage::owning("/configuration/newPayments/accounts/cash"),
            Stage::Payments
        );
        assert_eq!(Stage::owning("/schedule/timeZone"), Stage::Schedule);
        assert_eq!(Stage::owning(""), Stage::Schedule);
        assert_eq!(Stage::Sales.next(), Some(Stage::Fees));
        assert_eq!(Stage::Commerce.previous(), None);
        assert_eq!(Stage::Schedule.next(), None);
    }
}
