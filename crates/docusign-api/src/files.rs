//! Reading the files a user names for a connection: the RSA private key and the CA certificate
//! (issue #12, "no size cap on key and CA files").
//!
//! Only a regular file (or a symbolic link to one) is read, and only up to a cap: a PEM private
//! key is a few KB ([`MAX_KEY_FILE_BYTES`], 64 KiB), a CA bundle at most a few hundred KB
//! ([`MAX_CA_FILE_BYTES`], 1 MiB). So `/dev/zero` is refused instead of read until memory runs
//! out, a named pipe (FIFO) is refused instead of waiting forever for a writer, and a huge file
//! picked by mistake is refused before it is read. Every error names the file.
//!
//! ```no_run
//! # fn demo() -> Result<(), docusign_api::files::FileReadError> {
//! let pem = docusign_api::files::read_private_key_file(std::path::Path::new("private.key"))?;
//! let key = docusign_api::key::load_private_key_bytes(pem.expose());
//! # Ok(()) }
//! ```

use crate::key::PrivateKeyBytes;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Largest private key file read, in bytes (64 KiB). A 4096-bit PEM key is about 3.3 KB.
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// Largest CA certificate file read, in bytes (1 MiB). A certificate is 1–2 KB; the whole
/// Mozilla root bundle is about 220 KB.
pub const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

/// Largest other small file a user names (an `.env`-style values file), in bytes (1 MiB).
pub const MAX_SMALL_FILE_BYTES: u64 = 1024 * 1024;

/// Why a named file was not read. Every variant names the file; none carries its contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileReadError {
    /// The path is not a regular file: a folder, a device such as `/dev/zero`, a named pipe
    /// (FIFO) or a socket. Nothing was read. Code `file_not_regular`.
    #[error("the {what} file {path} is {found}, not a regular file, so it was not read")]
    NotRegular {
        /// What the file was for ("private key", "CA certificate").
        what: String,
        /// The path as given.
        path: PathBuf,
        /// What it is, in words ("a folder", "a device", "a named pipe (FIFO)", "a socket").
        found: &'static str,
    },
    /// The file is larger than its cap. Nothing (or only the cap) was read.
    /// Code `file_too_large`.
    #[error("the {what} file {path} is larger than {max} bytes ({}), far too big for a {what} file, so it was not read", size.map(|s| format!("{s} bytes")).unwrap_or_else(|| "it kept growing".into()))]
    TooLarge {
        /// What the file was for.
        what: String,
        /// The path as given.
        path: PathBuf,
        /// Its size in bytes, when known.
        size: Option<u64>,
        /// The cap in bytes.
        max: u64,
    },
    /// The file could not be opened or read (missing, no permission, …). Code `file_unreadable`.
    #[error("cannot read the {what} file {path}: {source}")]
    Io {
        /// What the file was for.
        what: String,
        /// The path as given.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

impl FileReadError {
    /// A short stable code: `file_not_regular`, `file_too_large` or `file_unreadable`.
    pub fn code(&self) -> &'static str {
        match self {
            FileReadError::NotRegular { .. } => "file_not_regular",
            FileReadError::TooLarge { .. } => "file_too_large",
            FileReadError::Io { .. } => "file_unreadable",
        }
    }

    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FileReadError::NotRegular { path, .. }
            | FileReadError::TooLarge { path, .. }
            | FileReadError::Io { path, .. } => path,
        }
    }

    /// What to do, in plain words (no command-line options, no buttons: both front ends use it).
    pub fn fix(&self) -> String {
        match self {
            FileReadError::NotRegular { what, .. } | FileReadError::TooLarge { what, .. } => {
                match what.as_str() {
                    "private key" => "Choose the private key file itself: the .pem or .key file DocuSign let you download (a few KB).".into(),
                    "CA certificate" => "Choose the CA certificate file itself: a .pem file of a few KB (the sandbox writes ca.pem in its data folder).".into(),
                    _ => format!("Choose the {what} file itself, a small text file."),
                }
            }
            FileReadError::Io { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound => "Check the path: no file is there.".into(),
                std::io::ErrorKind::PermissionDenied => {
                    "Check the file's permissions: it must be readable by you.".into()
                }
                _ => "Check that the file exists and is readable.".into(),
            },
        }
    }
}

/// Reads a private key file: a regular file of at most [`MAX_KEY_FILE_BYTES`]. The bytes are
/// wiped from memory when dropped.
///
/// # Errors
/// [`FileReadError`] naming the file: not a regular file, too large, or unreadable.
pub fn read_private_key_file(path: &Path) -> Result<PrivateKeyBytes, FileReadError> {
    read_capped(path, "private key", MAX_KEY_FILE_BYTES).map(PrivateKeyBytes::new)
}

/// Reads a CA certificate file (PEM, one or more certificates): a regular file of at most
/// [`MAX_CA_FILE_BYTES`].
///
/// # Errors
/// [`FileReadError`] naming the file: not a regular file, too large, or unreadable.
pub fn read_ca_file(path: &Path) -> Result<Vec<u8>, FileReadError> {
    read_capped(path, "CA certificate", MAX_CA_FILE_BYTES)
}

/// Reads the regular file at `path`, at most `max` bytes; `what` names it in errors
/// ("private key", "CA certificate", "values").
///
/// The type is checked before the file is opened (opening a FIFO waits for a writer), and again
/// on the open file; the read stops one byte past `max`, so a file that grows is refused too.
///
/// # Errors
/// [`FileReadError`] naming the file.
pub fn read_capped(path: &Path, what: &str, max: u64) -> Result<Vec<u8>, FileReadError> {
    let io = |source: std::io::Error| FileReadError::Io {
        what: what.to_string(),
        path: path.to_path_buf(),
        source,
    };
    let check = |meta: &std::fs::Metadata| -> Result<(), FileReadError> {
        if !meta.is_file() {
            return Err(FileReadError::NotRegular {
                what: what.to_string(),
                path: path.to_path_buf(),
                found: describe(meta),
            });
        }
        if meta.len() > max {
            return Err(FileReadError::TooLarge {
                what: what.to_string(),
                path: path.to_path_buf(),
                size: Some(meta.len()),
                max,
            });
        }
        Ok(())
    };
    // Follows symbolic links: a link to a key file is fine, a link to /dev/zero is not.
    check(&std::fs::metadata(path).map_err(io)?)?;
    let file = std::fs::File::open(path).map_err(io)?;
    check(&file.metadata().map_err(io)?)?;
    let mut buf = Vec::new();
    file.take(max + 1).read_to_end(&mut buf).map_err(io)?;
    if buf.len() as u64 > max {
        return Err(FileReadError::TooLarge {
            what: what.to_string(),
            path: path.to_path_buf(),
            size: None,
            max,
        });
    }
    Ok(buf)
}

fn describe(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_regular_files_are_read_and_others_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ca.pem");
        std::fs::write(&ok, b"certificate text").unwrap();
        assert_eq!(read_ca_file(&ok).unwrap(), b"certificate text");

        let big = dir.path().join("big.key");
        std::fs::write(&big, vec![b'a'; MAX_KEY_FILE_BYTES as usize + 1]).unwrap();
        let e = read_private_key_file(&big).unwrap_err();
        assert_eq!(e.code(), "file_too_large");
        assert!(e.to_string().contains(&big.display().to_string()), "{e}");
        // Exactly the cap is fine.
        std::fs::write(&big, vec![b'a'; MAX_KEY_FILE_BYTES as usize]).unwrap();
        assert_eq!(read_private_key_file(&big).unwrap().len(), 65536);

        let e = read_ca_file(dir.path()).unwrap_err();
        assert_eq!(e.code(), "file_not_regular");
        assert!(e.to_string().contains("a folder"), "{e}");

        let e = read_ca_file(&dir.path().join("missing.pem")).unwrap_err();
        assert_eq!(e.code(), "file_unreadable");
        assert!(e.fix().contains("no file"), "{}", e.fix());
    }

    #[cfg(unix)]
    #[test]
    fn dev_zero_and_a_fifo_are_refused_without_reading() {
        let e = read_private_key_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.code(), "file_not_regular");
        assert_eq!(
            e.to_string(),
            "the private key file /dev/zero is a device, not a regular file, so it was not read"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("key.fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success(), "mkfifo failed");
        // Without the type check this would wait forever for a writer.
        let e = read_ca_file(&fifo).unwrap_err();
        assert_eq!(e.code(), "file_not_regular");
        assert!(e.to_string().contains("a named pipe (FIFO)"), "{e}");
        // A symbolic link to /dev/zero is followed, and refused.
        let link = dir.path().join("zero.key");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(
            read_private_key_file(&link).unwrap_err().code(),
            "file_not_regular"
        );
    }
}
