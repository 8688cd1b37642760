//! Where downloaded documents go: the location policy (the person's Downloads folder, or a
//! file they chose in a save dialog, nowhere else), names that stay file names, and paths that
//! never overwrite a file already there.

use serde::Serialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::problem::{Code, Problem};

/// The folder downloads go to by default: the person's Downloads folder (`XDG_DOWNLOAD_DIR` on
/// Linux), else `~/Downloads`, else `<data_dir>/downloads`.
pub fn default_download_dir(data_dir: &Path) -> PathBuf {
    dirs::download_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join("Downloads")))
        .unwrap_or_else(|| data_dir.join("downloads"))
}

/// A file name that stays a file name: no folders, no control characters, not hidden, not empty.
/// Path separators and `:` become `-` so a subject such as "A/B" stays readable; the rest is
/// [`docusign_api::esign::safe_file_name`] (Windows device names, trailing dots and spaces,
/// length). `.zip` names keep their extension; anything else gets `.pdf` when it has none.
pub fn safe_file_name(name: &str) -> String {
    let readable: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let ext = if readable.to_ascii_lowercase().ends_with(".zip") {
        "zip"
    } else {
        "pdf"
    };
    docusign_api::esign::safe_file_name(&readable, ext).unwrap_or_else(|| "document.pdf".into())
}

/// `dir/name`, or `dir/name (2).ext`, `(3)`… when that file exists.
pub fn unique_path(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (2..10_000)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Download progress, as the desktop's `download-progress` event carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DownloadProgress {
    /// The UI's name for this download.
    pub download_id: String,
    /// Bytes written so far.
    pub bytes: u64,
    /// The whole size, when DocuSign said it.
    pub total: Option<u64>,
}

/// The shortest time between two progress reports of one download (the last one always goes).
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Turns a download's byte counts into [`DownloadProgress`] reports, at most one per
/// [`PROGRESS_EVERY`] plus the last one.
pub fn throttled_progress(
    download_id: String,
    report: impl Fn(DownloadProgress),
) -> impl FnMut(u64, Option<u64>) {
    let mut last: Option<Instant> = None;
    move |bytes, total| {
        let done = total.is_some_and(|t| bytes >= t);
        let due = match last {
            Some(t) => t.elapsed() >= PROGRESS_EVERY,
            None => true,
        };
        if done || due {
            last = Some(Instant::now());
            report(DownloadProgress {
                download_id: download_id.clone(),
                bytes,
                total,
            });
        }
    }
}

/// The download location policy: the default folder, and the files the person chose in a save
/// dialog (a download may only be written to one of those, or into the default folder).
#[derive(Debug)]
pub struct Downloads {
    folder: PathBuf,
    chosen: Mutex<HashSet<PathBuf>>,
}

impl Downloads {
    /// Downloads into `folder` by default (see [`default_download_dir`]).
    pub fn new(folder: PathBuf) -> Downloads {
        Downloads {
            folder,
            chosen: Mutex::new(HashSet::new()),
        }
    }

    /// The folder downloads go to unless the person chooses another place.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Remembers a file the person chose in a save dialog; returns it as text.
    pub fn remember(&self, chosen: PathBuf) -> String {
        let shown = chosen.display().to_string();
        self.chosen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(chosen);
        shown
    }

    /// Where to write a download: `save_to` when the person chose it with a save dialog, else
    /// `file_name` (made safe and unique) in the default folder, which is created.
    ///
    /// # Errors
    /// `save_location_unknown` for a path not chosen in a save dialog; `download_folder` when
    /// the default folder cannot be created.
    pub fn target(&self, save_to: Option<&str>, file_name: &str) -> Result<PathBuf, Problem> {
        if let Some(p) = save_to.filter(|s| !s.trim().is_empty()) {
            let p = PathBuf::from(p);
            let known = self
                .chosen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(&p);
            return match known {
                true => Ok(p),
                false => Err(problem(
                    Code::SaveLocationUnknown,
                    "The app saves only in a place chosen to save in, and this one was not.".into(),
                    "Choose the place to save again, or save to the Downloads folder.",
                )),
            };
        }
        std::fs::create_dir_all(&self.folder).map_err(|e| {
            problem(
                Code::DownloadFolder,
                format!(
                    "The folder {} cannot be created: {e}.",
                    self.folder.display()
                ),
                "Choose another place to save in.",
            )
        })?;
        Ok(unique_path(&self.folder, &safe_file_name(file_name)))
    }
}

fn problem(code: Code, message: String, fix: &str) -> Problem {
    Problem::new(code, message, fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_file_names() {
        assert_eq!(safe_file_name("../../etc/passwd"), "-..-etc-passwd.pdf");
        assert_eq!(
            safe_file_name("Please sign: NDA.pdf"),
            "Please sign- NDA.pdf"
        );
        assert_eq!(safe_file_name("  .hidden.pdf"), "hidden.pdf");
        assert_eq!(safe_file_name(""), "document.pdf");
        assert!(safe_file_name(&"x".repeat(300)).len() <= 200);
        assert_eq!(safe_file_name("CON.pdf"), "_CON.pdf");
        assert_eq!(safe_file_name("CON - documents.pdf"), "CON - documents.pdf");
        assert_eq!(safe_file_name("Contrat signé. . .pdf"), "Contrat signé.pdf");
    }

    #[test]
    fn unique_paths_do_not_overwrite() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let first = unique_path(dir.path(), "NDA.pdf");
        assert_eq!(first, dir.path().join("NDA.pdf"));
        let _ = std::fs::write(&first, b"x");
        assert_eq!(
            unique_path(dir.path(), "NDA.pdf"),
            dir.path().join("NDA (2).pdf")
        );
        let _ = std::fs::write(dir.path().join("NDA (2).pdf"), b"x");
        assert_eq!(
            unique_path(dir.path(), "NDA.pdf"),
            dir.path().join("NDA (3).pdf")
        );
    }

    #[test]
    fn downloads_go_only_where_chosen_or_into_the_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = Downloads::new(dir.path().join("Downloads"));
        let elsewhere = dir.path().join("elsewhere.pdf");
        let refused = d.target(Some(&elsewhere.display().to_string()), "x.pdf");
        assert_eq!(
            refused.err().map(|e| e.code),
            Some(Code::SaveLocationUnknown)
        );
        d.remember(elsewhere.clone());
        let shown = elsewhere.display().to_string();
        assert_eq!(d.target(Some(&shown), "x.pdf").ok(), Some(elsewhere));
        assert_eq!(
            d.target(None, "a/b.pdf").ok(),
            Some(dir.path().join("Downloads").join("a-b.pdf"))
        );
        assert!(dir.path().join("Downloads").is_dir());
    }
}
