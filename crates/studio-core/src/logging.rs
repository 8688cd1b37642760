//! The desktop app's log: one file a day in the log folder, `studio.YYYY-MM-DD.log` (the date
//! in UTC; a new file at midnight UTC), the last [`KEPT_DAYS`] kept, plus stderr. The rotation
//! and the pruning are tracing-appender's (`Rotation::DAILY`, `max_log_files`). The app logs
//! command names and, on failure, the error's code and message; never arguments (a pasted key
//! is an argument) or answers.
//!
//! The log names connections, people and subjects: the folder is made 0700 and each file 0600
//! (on Unix), existing ones tightened. Readers (the support bundle, the bench) find the files
//! with [`log_files`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};

use time::OffsetDateTime;
use tracing_appender::rolling::{RollingFileAppender, RollingWriter, Rotation};
use tracing_subscriber::fmt::writer::{MakeWriter, MakeWriterExt as _};

use crate::store::{create_private_dir, create_private_file};

/// The start of every log file's name (`studio.2026-11-30.log`).
pub const FILE_PREFIX: &str = "studio";
/// The end of every log file's name.
pub const FILE_SUFFIX: &str = "log";
/// How many daily files are kept, today's included; older ones are deleted when a day starts
/// and when the app starts.
pub const KEPT_DAYS: usize = 7;
/// The single file earlier versions wrote (`studio.log`). [`DailyLog::open`] renames it to the
/// daily file of its last write, so it is pruned with them; one it cannot rename is read as the
/// oldest part of the log.
pub const EARLIER_FILE: &str = "studio.log";

/// The log file of `day`'s UTC date inside `log_dir`, e.g. `studio.2026-11-30.log`.
pub fn file_of_day(log_dir: &Path, day: time::Date) -> PathBuf {
    let (y, m, d) = (day.year(), u8::from(day.month()), day.day());
    log_dir.join(format!("{FILE_PREFIX}.{y:04}-{m:02}-{d:02}.{FILE_SUFFIX}"))
}

/// The log files in `log_dir`, newest first: the daily files by date, then an earlier
/// version's `studio.log`. Empty when there is none (or no folder).
pub fn log_files(log_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(log_dir) else {
        return Vec::new();
    };
    let mut daily: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_daily_name(n))
        .collect();
    // `YYYY-MM-DD` sorts as dates do.
    daily.sort_unstable_by(|a, b| b.cmp(a));
    let mut files: Vec<PathBuf> = daily.into_iter().map(|n| log_dir.join(n)).collect();
    let earlier = log_dir.join(EARLIER_FILE);
    if earlier.is_file() {
        files.push(earlier);
    }
    files
}

/// Whether `name` is a daily file's name (`studio.YYYY-MM-DD.log`).
fn is_daily_name(name: &str) -> bool {
    let date = name
        .strip_prefix(FILE_PREFIX)
        .and_then(|r| r.strip_prefix('.'))
        .and_then(|r| r.strip_suffix(FILE_SUFFIX))
        .and_then(|r| r.strip_suffix('.'));
    date.is_some_and(|d| {
        d.len() == 10
            && d.bytes().enumerate().all(|(i, c)| {
                matches!((i, c), (4 | 7, b'-') | (0..=3 | 5 | 6 | 8 | 9, b'0'..=b'9'))
            })
    })
}

/// The daily log files of `log_dir`, each made 0600 as soon as the appender has opened it and
/// before anything is written to it (tracing-appender creates files with the process's
/// default mode).
pub struct DailyLog {
    dir: PathBuf,
    appender: RollingFileAppender,
    /// The Julian day of the file made private last.
    day: AtomicI32,
}

impl DailyLog {
    /// Opens today's file in `log_dir` (folder 0700, file 0600, existing ones tightened), after
    /// deleting the oldest files beyond [`KEPT_DAYS`].
    ///
    /// # Errors
    /// The folder or the file cannot be created or opened (the message names the folder).
    pub fn open(log_dir: &Path) -> std::io::Result<DailyLog> {
        create_private_dir(log_dir)?;
        adopt_earlier_file(log_dir);
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(FILE_PREFIX)
            .filename_suffix(FILE_SUFFIX)
            .max_log_files(KEPT_DAYS)
            .build(log_dir)
            .map_err(|e| std::io::Error::other(format!("{}: {e}", log_dir.display())))?;
        let today = OffsetDateTime::now_utc().date();
        create_private_file(&file_of_day(log_dir, today))?;
        Ok(DailyLog {
            dir: log_dir.to_path_buf(),
            appender,
            day: AtomicI32::new(today.to_julian_day()),
        })
    }
}

/// Renames an earlier version's `studio.log` to the daily file of the day it was last written,
/// unless that file exists.
fn adopt_earlier_file(log_dir: &Path) {
    let earlier = log_dir.join(EARLIER_FILE);
    let Ok(written) = std::fs::metadata(&earlier).and_then(|m| m.modified()) else {
        return;
    };
    let daily = file_of_day(log_dir, OffsetDateTime::from(written).date());
    if !daily.exists() {
        let _ = std::fs::rename(&earlier, &daily);
    }
}

impl<'a> MakeWriter<'a> for DailyLog {
    type Writer = RollingWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        // The appender opens a new day's file here; it is made private before the line is
        // written. (Made before the appender's turn, it would count against the days kept.)
        let writer = self.appender.make_writer();
        let today = OffsetDateTime::now_utc().date();
        let file = file_of_day(&self.dir, today);
        if self.day.load(Ordering::Relaxed) != today.to_julian_day()
            && file.is_file()
            && create_private_file(&file).is_ok()
        {
            self.day.store(today.to_julian_day(), Ordering::Relaxed);
        }
        writer
    }
}

/// The log's filter: `RUST_LOG`, default `info`.
fn filter() -> tracing_subscriber::EnvFilter {
    tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
}

/// Starts logging to the daily files in `log_dir` and to stderr (level from `RUST_LOG`,
/// default `info`); to stderr only, saying why, when the folder cannot be written. Safe to
/// call more than once (the first call's log stays).
pub fn init(log_dir: &Path) {
    let result = match DailyLog::open(log_dir) {
        Ok(file) => tracing_subscriber::fmt()
            .with_env_filter(filter())
            .with_ansi(false)
            .with_writer(file.and(std::io::stderr))
            .try_init(),
        Err(e) => {
            eprintln!("studio: cannot write the log in {}: {e}", log_dir.display());
            tracing_subscriber::fmt()
                .with_env_filter(filter())
                .with_writer(std::io::stderr)
                .try_init()
        }
    };
    // Already initialised (tests): keep the first subscriber.
    drop(result);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Logs `line` through `log` alone (not the process's global subscriber).
    fn log_through(log: DailyLog, line: &str) {
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(log)
            .finish();
        tracing::subscriber::with_default(subscriber, || tracing::info!("{line}"));
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// Issue 12: the log folder and file are private, and existing ones are tightened.
    #[cfg(unix)]
    #[test]
    fn log_folder_and_file_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = file_of_day(&logs, OffsetDateTime::now_utc().date());
        std::fs::write(&file, "an earlier line\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();

        log_through(DailyLog::open(&logs).unwrap(), "a line");

        assert_eq!(mode(&logs), 0o700);
        assert_eq!(mode(&file), 0o600);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with("an earlier line\n"), "appended: {text}");
        assert!(text.contains("a line"), "{text}");
    }

    /// Issue 12: logs rotate daily and 7 days are kept. An earlier version's `studio.log` last
    /// written 20 days ago and ten earlier days of files (made oldest first, as the days would
    /// have): opening the log keeps the 6 newest days and today's, which is written, private,
    /// and the one readers find first.
    #[test]
    fn logs_rotate_daily_and_seven_days_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        std::fs::create_dir(&logs).unwrap();
        let today = OffsetDateTime::now_utc().date();
        let earlier = logs.join(EARLIER_FILE);
        std::fs::write(&earlier, "the single file of an earlier version\n").unwrap();
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(20 * 86_400);
        let f = std::fs::File::options().write(true).open(&earlier).unwrap();
        f.set_modified(long_ago).unwrap();
        drop(f);
        let days: Vec<time::Date> = (1..=10)
            .rev()
            .map(|n| today - time::Duration::days(n))
            .collect();
        for day in &days {
            std::fs::write(file_of_day(&logs, *day), format!("{day}\n")).unwrap();
            // Distinct creation times, oldest first.
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(log_files(&logs).len(), 11);

        log_through(DailyLog::open(&logs).unwrap(), "written today");

        let kept = log_files(&logs);
        let mut expected = vec![file_of_day(&logs, today)];
        expected.extend(
            days.iter()
                .rev()
                .take(KEPT_DAYS - 1)
                .map(|d| file_of_day(&logs, *d)),
        );
        assert_eq!(kept, expected, "the newest 7 days, newest first");
        let newest = std::fs::read_to_string(&kept[0]).unwrap();
        assert!(newest.contains("written today"), "{newest}");
        #[cfg(unix)]
        assert_eq!(mode(&kept[0]), 0o600);
        let left: usize = std::fs::read_dir(&logs).unwrap().count();
        assert_eq!(left, KEPT_DAYS, "nothing else left in the folder");
    }

    #[test]
    fn daily_names_are_told_from_other_files() {
        assert!(is_daily_name("studio.2026-11-30.log"));
        for other in [
            "studio.log",
            "studio.2026-11-3.log",
            "studio.2026/11/30.log",
            "x.2026-11-30.log",
        ] {
            assert!(!is_daily_name(other), "{other}");
        }
    }
}
