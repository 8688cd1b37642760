//! Per-user regional settings (F44): DocuSign fills a Date Signed tab with text in the signer's
//! (else the sender's) date/time format and time zone, e.g. `11/22/2022 | 10:02 AM PST`, never
//! ISO 8601. Only the REST `…DateTime` fields are UTC timestamps.
//!
//! Sources: DocuSign blog "Common API Tasks: Change your date/time format programmatically" (each
//! user picks one of DocuSign's formats in Regional Settings); docusign-esign-python-client #157
//! (`11/22/2022 | 10:02 AM PST`). Time zones here are fixed offsets (no daylight saving): an
//! emulator choice.

use super::time::Nanos;

/// Date/time formats a world file may give (a subset of DocuSign's Regional Settings list).
pub(crate) const DATE_FORMATS: [&str; 8] = [
    "MM/dd/yyyy | hh:mm tt",
    "dd/MM/yyyy | HH:mm",
    "yyyy/MM/dd | HH:mm",
    "dd-MMM-yyyy | HH:mm",
    "MMMM d, yyyy | h:mm tt",
    "MM/dd/yyyy",
    "dd/MM/yyyy",
    "yyyy/MM/dd",
];

/// Time zones a world file may give: (label, offset from UTC in minutes).
pub(crate) const TIME_ZONES: [(&str, i32); 9] = [
    ("UTC", 0),
    ("PST", -8 * 60),
    ("MST", -7 * 60),
    ("CST", -6 * 60),
    ("EST", -5 * 60),
    ("CET", 60),
    ("IST", 5 * 60 + 30),
    ("JST", 9 * 60),
    ("AEST", 10 * 60),
];

/// The default: DocuSign's US format, Pacific time (as in the field report).
pub(crate) const DEFAULT_DATE_FORMAT: &str = "MM/dd/yyyy | hh:mm tt";
/// The default time zone label.
pub(crate) const DEFAULT_TIME_ZONE: &str = "PST";

/// A user's regional settings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Regional {
    pub date_format: String,
    pub time_zone: String,
    pub offset_minutes: i32,
}

impl Default for Regional {
    fn default() -> Self {
        Regional {
            date_format: DEFAULT_DATE_FORMAT.to_owned(),
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            offset_minutes: -8 * 60,
        }
    }
}

impl Regional {
    /// Checks a format and a time zone label; `Err` names the allowed values.
    pub(crate) fn new(date_format: Option<&str>, time_zone: Option<&str>) -> Result<Self, String> {
        let date_format = date_format.unwrap_or(DEFAULT_DATE_FORMAT);
        if !DATE_FORMATS.contains(&date_format) {
            return Err(format!(
                "{date_format:?} is not a date format (one of {})",
                DATE_FORMATS.join(", ")
            ));
        }
        let tz = time_zone.unwrap_or(DEFAULT_TIME_ZONE);
        let Some((label, offset)) = TIME_ZONES.iter().find(|(l, _)| l.eq_ignore_ascii_case(tz))
        else {
            let all: Vec<&str> = TIME_ZONES.iter().map(|(l, _)| *l).collect();
            return Err(format!(
                "{tz:?} is not a time zone (one of {})",
                all.join(", ")
            ));
        };
        Ok(Regional {
            date_format: date_format.to_owned(),
            time_zone: (*label).to_owned(),
            offset_minutes: *offset,
        })
    }

    /// The Date Signed text for an instant, e.g. `11/22/2022 | 10:02 AM PST`.
    pub(crate) fn date_signed(&self, ts: Nanos) -> String {
        let secs = ts.div_euclid(1_000_000_000) + i64::from(self.offset_minutes) * 60;
        let Ok(dt) = time::OffsetDateTime::from_unix_timestamp(secs) else {
            return String::new();
        };
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = MONTHS[usize::from(u8::from(dt.month())) - 1];
        let h12 = match dt.hour() % 12 {
            0 => 12,
            h => h,
        };
        let ampm = if dt.hour() < 12 { "AM" } else { "PM" };
        let fmt = self.date_format.as_str();
        let mut out = String::new();
        let mut rest = fmt;
        // Longest tokens first.
        let tokens: [&str; 10] = [
            "yyyy", "MMMM", "MMM", "MM", "dd", "d", "hh", "HH", "h", "mm",
        ];
        while !rest.is_empty() {
            if let Some(t) = rest.strip_prefix("tt") {
                out.push_str(ampm);
                rest = t;
                continue;
            }
            let Some(tok) = tokens.iter().find(|t| rest.starts_with(**t)) else {
                let c = rest.chars().next().unwrap_or(' ');
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            };
            let text = match *tok {
                "yyyy" => format!("{:04}", dt.year()),
                "MMMM" => month.to_owned(),
                "MMM" => month[..3].to_owned(),
                "MM" => format!("{:02}", u8::from(dt.month())),
                "dd" => format!("{:02}", dt.day()),
                "d" => dt.day().to_string(),
                "hh" => format!("{h12:02}"),
                "HH" => format!("{:02}", dt.hour()),
                "h" => h12.to_string(),
                _ => format!("{:02}", dt.minute()),
            };
            out.push_str(&text);
            rest = &rest[tok.len()..];
        }
        if fmt.contains('|') {
            out.push(' ');
            out.push_str(&self.time_zone);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2022-11-22T18:02:07Z, the field report's `completedDateTime`.
    const T: Nanos = 1_669_140_127_000_000_000;

    #[test]
    fn f44_date_signed_follows_the_users_format_and_zone() {
        let us = Regional::default();
        assert_eq!(us.date_signed(T), "11/22/2022 | 10:02 AM PST");
        let eu = Regional::new(Some("dd/MM/yyyy | HH:mm"), Some("CET")).unwrap_or_default();
        assert_eq!(eu.date_signed(T), "22/11/2022 | 19:02 CET");
        let jp = Regional::new(Some("yyyy/MM/dd"), Some("JST")).unwrap_or_default();
        assert_eq!(jp.date_signed(T), "2022/11/23");
        let long = Regional::new(Some("MMMM d, yyyy | h:mm tt"), Some("ist")).unwrap_or_default();
        assert_eq!(long.date_signed(T), "November 22, 2022 | 11:32 PM IST");
        let short = Regional::new(Some("dd-MMM-yyyy | HH:mm"), Some("UTC")).unwrap_or_default();
        assert_eq!(short.date_signed(T), "22-Nov-2022 | 18:02 UTC");
    }

    #[test]
    fn unknown_values_are_named() {
        let e = Regional::new(Some("yyyy-MM-dd"), None)
            .err()
            .unwrap_or_default();
        assert!(e.contains("MM/dd/yyyy | hh:mm tt"), "{e}");
        let e = Regional::new(None, Some("Mars")).err().unwrap_or_default();
        assert!(e.contains("PST"), "{e}");
    }
}
