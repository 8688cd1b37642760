//! Timestamps of the eSignature half: Unix nanoseconds (`i64`), written the way DocuSign writes
//! them (`2026-11-29T10:00:00.1234567Z`, seven fractional digits, UTC), and parsed from query
//! parameters (`from_date`, `to_date`) and the world file (absolute or relative to start-up).

/// Unix time in nanoseconds.
pub(crate) type Nanos = i64;

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/// `2026-11-29T10:00:00.0000000Z`: DocuSign's format (seven fractional digits, `Z`).
pub(crate) fn format(ts: Nanos) -> String {
    let secs = ts.div_euclid(NANOS_PER_SECOND);
    let frac = ts.rem_euclid(NANOS_PER_SECOND) / 100;
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(dt) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            frac
        ),
        Err(_) => "0001-01-01T00:00:00.0000000Z".to_owned(),
    }
}

/// Emulator "now" in nanoseconds.
pub(crate) fn now(clock: &crate::clock::Clock) -> Nanos {
    match clock.now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

/// MS-DOS date and time (for ZIP headers) of a timestamp, UTC.
pub(crate) fn dos_date_time(ts: Nanos) -> (u16, u16) {
    let secs = ts.div_euclid(NANOS_PER_SECOND);
    let Ok(dt) = time::OffsetDateTime::from_unix_timestamp(secs) else {
        return (0x21, 0);
    };
    let year = dt.year().clamp(1980, 2107);
    let date = ((u16::try_from(year - 1980).unwrap_or(0)) << 9)
        | (u16::from(u8::from(dt.month())) << 5)
        | u16::from(dt.day());
    let time =
        (u16::from(dt.hour()) << 11) | (u16::from(dt.minute()) << 5) | u16::from(dt.second() / 2);
    (date, time)
}

/// Parses a date-time the way the emulator accepts `from_date` / `to_date`:
///
/// - ISO 8601: `2017-05-02`, `2017-05-02T01:44Z`, `2017-05-01T21:44:05-04:00`,
///   `2024-01-01T00:00:00.000Z`, `2020-05-09T21:56:12.2500000Z` (`T` or one space between date
///   and time; any number of fractional digits; offset `Z`, `±HH:MM`, `±HHMM` or `±HH`);
/// - US style, as .NET's `DateTime.Parse` takes it: `05/02/2017`, `5/2/2017 13:44:00`.
///
/// No offset means UTC (the emulator's "server time zone"). Returns `None` when the text is not
/// one of these forms or names an impossible date.
pub(crate) fn parse(text: &str) -> Option<Nanos> {
    let s = text.trim();
    let (date, rest) = parse_date(s)?;
    let rest = rest.trim_end();
    let (h, m, sec, nanos, rest) = if rest.is_empty() {
        (0, 0, 0, 0, "")
    } else {
        let r = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix('t'))
            .or_else(|| rest.strip_prefix(' '))?;
        parse_time(r)?
    };
    let offset_seconds = parse_offset(rest)?;
    let t = time::Time::from_hms_nano(h, m, sec, nanos).ok()?;
    let dt = time::PrimitiveDateTime::new(date, t).assume_utc();
    let secs = dt.unix_timestamp() - i64::from(offset_seconds);
    // beyond year 2262 the nanosecond count saturates; such dates still compare correctly
    Some(
        secs.saturating_mul(NANOS_PER_SECOND)
            .saturating_add(i64::from(nanos)),
    )
}

fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count().min(max);
    if n < min {
        return None;
    }
    let value = s[..n].parse().ok()?;
    Some((value, &s[n..]))
}

fn parse_date(s: &str) -> Option<(time::Date, &str)> {
    let (first, rest) = digits(s, 1, 4)?;
    let (year, month, day, rest) = if let Some(rest) = rest.strip_prefix('-') {
        // YYYY-MM-DD
        let (month, rest) = digits(rest, 2, 2)?;
        let rest = rest.strip_prefix('-')?;
        let (day, rest) = digits(rest, 2, 2)?;
        (i32::try_from(first).ok()?, month, day, rest)
    } else if let Some(rest) = rest.strip_prefix('/') {
        // M/D/YYYY
        let (day, rest) = digits(rest, 1, 2)?;
        let rest = rest.strip_prefix('/')?;
        let (year, rest) = digits(rest, 4, 4)?;
        (i32::try_from(year).ok()?, first, day, rest)
    } else {
        return None;
    };
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
    Some((date, rest))
}

type TimeParts<'a> = (u8, u8, u8, u32, &'a str);

fn parse_time(s: &str) -> Option<TimeParts<'_>> {
    let (h, rest) = digits(s, 1, 2)?;
    let rest = rest.strip_prefix(':')?;
    let (m, rest) = digits(rest, 2, 2)?;
    let (sec, rest) = match rest.strip_prefix(':') {
        Some(r) => digits(r, 2, 2)?,
        None => (0, rest),
    };
    let (nanos, rest) = match rest.strip_prefix('.') {
        Some(r) => {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            let mut frac: String = r[..n].chars().take(9).collect();
            while frac.len() < 9 {
                frac.push('0');
            }
            (frac.parse().ok()?, &r[n..])
        }
        None => (0, rest),
    };
    Some((
        u8::try_from(h).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(sec).ok()?,
        nanos,
        rest,
    ))
}

fn parse_offset(s: &str) -> Option<i32> {
    if s.is_empty() || s.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let (sign, rest) = if let Some(r) = s.strip_prefix('+') {
        (1, r)
    } else if let Some(r) = s.strip_prefix('-') {
        (-1, r)
    } else {
        return None;
    };
    let (h, rest) = digits(rest, 2, 2)?;
    let m = if rest.is_empty() {
        0
    } else {
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        let (m, tail) = digits(rest, 2, 2)?;
        if !tail.is_empty() {
            return None;
        }
        m
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * i32::try_from(h * 3600 + m * 60).ok()?)
}

/// A world-file timestamp: an absolute one (as [`parse`] takes) or one relative to `start`:
/// `now`, `-2d`, `now-2d3h`, `-90m`, `+30s` (units `d`, `h`, `m`, `s`).
pub(crate) fn parse_world(text: &str, start: Nanos) -> Option<Nanos> {
    let s = text.trim();
    if let Some(abs) = parse(s) {
        return Some(abs);
    }
    let rel = s.strip_prefix("now").unwrap_or(s);
    if rel.is_empty() {
        return if s == "now" { Some(start) } else { None };
    }
    let mut total: i64 = 0;
    let mut rest = rel;
    while !rest.is_empty() {
        let (sign, r) = if let Some(r) = rest.strip_prefix('-') {
            (-1, r)
        } else if let Some(r) = rest.strip_prefix('+') {
            (1, r)
        } else {
            return None;
        };
        let mut r = r;
        let mut any = false;
        // one sign may cover several units: -1d2h
        loop {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                break;
            }
            let value: i64 = r[..n].parse().ok()?;
            let unit = r[n..].chars().next()?;
            let secs = match unit {
                'd' => value.checked_mul(86_400)?,
                'h' => value.checked_mul(3600)?,
                'm' => value.checked_mul(60)?,
                's' => value,
                _ => return None,
            };
            total = total.checked_add(sign * secs)?;
            r = &r[n + 1..];
            any = true;
        }
        if !any {
            return None;
        }
        rest = r;
    }
    start.checked_add(total.checked_mul(NANOS_PER_SECOND)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_seven_digits() {
        assert_eq!(format(0), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(
            format(1_800_000_000 * NANOS_PER_SECOND + 123_456_789),
            "2027-01-15T08:00:00.1234567Z"
        );
    }

    #[test]
    fn parses_docusign_examples() {
        let a = parse("2017-05-02T01:44Z");
        assert!(a.is_some());
        assert_eq!(parse("2017-05-01T21:44-04:00"), a);
        assert_eq!(parse("2017-05-01T18:44-07:00"), a);
        assert_eq!(parse("2017-05-01T18:44:00.000-0700"), a);
        assert_eq!(parse("2017-05-02"), parse("2017-05-02T00:00:00Z"));
        assert_eq!(parse("05/02/2017"), parse("2017-05-02"));
        assert_eq!(parse("5/2/2017 01:44"), a);
        assert!(parse("2020-05-09T21:56:12.2500000Z").is_some());
        assert_eq!(parse("2017-02-30"), None);
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse("2017-05-01T21:44 04:00"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("2999-01-01"), Some(i64::MAX));
    }

    #[test]
    fn parses_relative_world_times() {
        let start = 1_000_000 * NANOS_PER_SECOND;
        assert_eq!(parse_world("now", start), Some(start));
        assert_eq!(
            parse_world("-1d2h", start),
            Some(start - 26 * 3600 * NANOS_PER_SECOND)
        );
        assert_eq!(
            parse_world("now-90m+30s", start),
            Some(start - 5370 * NANOS_PER_SECOND)
        );
        assert_eq!(parse_world("-2x", start), None);
        assert_eq!(parse_world("later", start), None);
    }
}
