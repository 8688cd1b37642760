//! Reading the files a front end names for a connection (the private key, the sandbox's CA
//! certificate, a values file) into the type each belongs in, and the public half of a private
//! key. Only a regular file within its size cap is read ([`docusign_api::files`]); every problem
//! names the file and never carries its contents.

use std::path::{Path, PathBuf};

use docusign_api::files::{self, FileReadError};
use docusign_api::key::{KeyInfo, PrivateKeyBytes, Zeroizing};

use super::{Code, Problem, Workspace};
use crate::connections::Connection;
use crate::handoff::{connection_from_pasted, label_of, parse_pasted};
use crate::problem::Hint;
use crate::wizard;

/// A connection read from a values file (`dsjwt connection add --from-env FILE`), not yet
/// checked nor saved. Paths in the file are relative to its folder.
#[derive(Debug)]
pub struct ValuesRead {
    /// The connection the values make (demo unless they say otherwise; its CA certificate
    /// path, when the file names one, resolved against the file's folder).
    pub connection: Connection,
    /// The private key the file held itself (moved out of the file's text, never copied).
    pub private_key: Option<PrivateKeyBytes>,
    /// The private key file the file names (`DOCUSIGN_PRIVATE_KEY_FILE=…`), resolved against
    /// its folder; not read yet ([`Workspace::read_private_key_file`]).
    pub private_key_file: Option<PathBuf>,
    /// The values found, by their labels ("Integration Key", …), in the file's order.
    pub found: Vec<String>,
    /// What was read but not used, in plain words (labels and line numbers, never values).
    pub ignored: Vec<String>,
    /// Notes: a value given twice, the environment word overruled by the hosts, ….
    pub notes: Vec<String>,
}

/// What a named file is for: its words in messages, its size cap, its problem's code and field.
#[derive(Clone, Copy)]
enum NamedFile {
    PrivateKey,
    CaCertificate,
    Values,
}

impl NamedFile {
    fn what(self) -> &'static str {
        match self {
            NamedFile::PrivateKey => "private key",
            NamedFile::CaCertificate => "CA certificate",
            NamedFile::Values => "values",
        }
    }

    fn max_bytes(self) -> u64 {
        match self {
            NamedFile::PrivateKey => files::MAX_KEY_FILE_BYTES,
            NamedFile::CaCertificate => files::MAX_CA_FILE_BYTES,
            NamedFile::Values => files::MAX_SMALL_FILE_BYTES,
        }
    }

    fn problem(self, message: String, fix: impl Into<String>) -> Problem {
        let (code, field) = match self {
            NamedFile::PrivateKey => (Code::KeyLoadFailed, "private_key"),
            NamedFile::CaCertificate => (Code::CaCertUnreadable, "ca_cert"),
            NamedFile::Values => (Code::ValuesMissing, "values_file"),
        };
        Problem::new(code, message, fix).with_field(field)
    }

    /// Refuses a path that is the file's contents (a key or certificate pasted where its path
    /// belongs, e.g. `DSJWT_PRIVATE_KEY_FILE="$(cat key.pem)"`) without echoing it, and a folder.
    fn check_path(self, path: &Path) -> Result<(), Problem> {
        let what = self.what();
        let text = path.to_string_lossy();
        if text.contains("-----BEGIN") || text.contains('\n') || text.len() > 1024 {
            let example = match self {
                NamedFile::PrivateKey => "private.key, readable only by you",
                _ => "ca.pem",
            };
            return Err(self
                .problem(
                    format!("the {what} option holds the {what} itself, not the path of a file"),
                    format!("Save it to a file (for example {example}) and pass that path."),
                )
                .with_detail("contents_not_path"));
        }
        if path.is_dir() {
            return Err(self
                .problem(
                    format!(
                        "the {what} path {} is a folder; pass the file inside it",
                        path.display()
                    ),
                    "",
                )
                .with_detail("folder"));
        }
        Ok(())
    }

    fn read_failed(self, e: &FileReadError) -> Problem {
        self.problem(e.to_string(), e.fix()).with_detail(e.code())
    }

    fn read(self, path: &Path) -> Result<Vec<u8>, Problem> {
        self.check_path(path)?;
        files::read_capped(path, self.what(), self.max_bytes()).map_err(|e| self.read_failed(&e))
    }
}

impl Workspace {
    /// Reads the private key file a front end names (`--private-key FILE`), kept as
    /// [`PrivateKeyBytes`] (wiped from memory when dropped) on its way to the keyring or the
    /// client. Nothing is checked about the key itself (see [`Workspace::key_info`]).
    ///
    /// # Errors
    /// `key_load_failed` (field `private_key`) naming the file: the path holds the key itself
    /// (detail `contents_not_path`), is a folder (`folder`), is not a regular file of at most
    /// [`files::MAX_KEY_FILE_BYTES`] (`file_not_regular`, `file_too_large`), or cannot be read
    /// (`file_unreadable`).
    pub fn read_private_key_file(path: &Path) -> Result<PrivateKeyBytes, Problem> {
        let file = NamedFile::PrivateKey;
        file.check_path(path)?;
        files::read_private_key_file(path).map_err(|e| file.read_failed(&e))
    }

    /// Reads the CA certificate file (PEM) a front end names for the sandbox (`--ca-cert FILE`).
    ///
    /// # Errors
    /// `ca_cert_unreadable` (field `ca_cert`) naming the file, with the details of
    /// [`Workspace::read_private_key_file`] (cap [`files::MAX_CA_FILE_BYTES`]).
    pub fn read_ca_cert_file(path: &Path) -> Result<Vec<u8>, Problem> {
        NamedFile::CaCertificate.read(path)
    }

    /// Reads a values file (a `.env` file, notes, or the JSON of a connection export: it may
    /// hold the private key) as text, wiped from memory when dropped. Bytes that are not UTF-8
    /// become U+FFFD.
    ///
    /// # Errors
    /// `values_missing` (field `values_file`) naming the file, with the details of
    /// [`Workspace::read_private_key_file`] (cap [`files::MAX_SMALL_FILE_BYTES`]).
    pub fn read_values_file(path: &Path) -> Result<Zeroizing<String>, Problem> {
        let bytes = Zeroizing::new(NamedFile::Values.read(path)?);
        Ok(Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Reads a values file (a `.env` file, notes, or the JSON of a connection export) into a
    /// connection named `name`, with the same reading as a pasted block
    /// ([`Workspace::read_pasted`]).
    ///
    /// # Errors
    /// As [`Workspace::read_values_file`]; `values_missing` naming the file and the values it
    /// lacks (integration key, user ID, account ID, base URI; the sandbox's auth server);
    /// `auth_server_invalid` when its auth server is not one.
    pub fn read_connection_values(name: &str, file: &Path) -> Result<ValuesRead, Problem> {
        let text = Self::read_values_file(file)?;
        let mut pasted = parse_pasted(&text);
        let mut connection = connection_from_pasted(name, &pasted).map_err(|e| {
            Problem::new(e.code(), format!("{}: {e}", file.display()), e.fix())
                .with_field("values_file")
        })?;
        let folder = file.parent().unwrap_or(Path::new("."));
        // Relative to the file's folder; the CA file is made absolute and checked when the
        // connection is saved (Workspace::add_connection), the key file when it is read.
        let near = |p: &str| folder.join(p);
        connection.ca_cert = pasted.ca_cert.as_deref().map(near);
        Ok(ValuesRead {
            connection,
            private_key: pasted
                .private_key
                .as_mut()
                .map(|k| PrivateKeyBytes::from_text(std::mem::take(&mut **k))),
            private_key_file: pasted.private_key_file.as_deref().map(near),
            found: pasted
                .found
                .iter()
                .map(|f| label_of(f).to_string())
                .collect(),
            ignored: std::mem::take(&mut pasted.ignored),
            notes: std::mem::take(&mut pasted.notes),
        })
    }

    /// The public half of a private key and what it is (bits, fingerprint, PKCS#1 or PKCS#8,
    /// what was repaired): the same check as the wizard's key step ([`wizard::check_private_key`]).
    /// The private key is never echoed.
    ///
    /// # Errors
    /// `key_load_failed` (field `private_key`) with the key error's code as `detail`.
    pub fn key_info(key: &PrivateKeyBytes) -> Result<KeyInfo, Problem> {
        Self::key_info_or_hint(key).map_err(|(p, _)| p)
    }

    /// [`Workspace::key_info`], with the move a refused key needs beside its problem
    /// ([`Hint::for_key`]: e.g. an OpenSSH key converted to PEM), for a front end to word.
    ///
    /// # Errors
    /// As [`Workspace::key_info`], with the hint.
    pub fn key_info_or_hint(key: &PrivateKeyBytes) -> Result<KeyInfo, (Problem, Hint)> {
        let check = wizard::check_private_key(key.expose());
        let hint = check.check.hint.unwrap_or(Hint::GivePrivateKey);
        check.info.ok_or((check.check.problem, hint))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_files_are_refused_with_the_file_named() {
        let dir = tempfile::tempdir().unwrap();
        let e = Workspace::read_private_key_file(dir.path()).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref(), e.detail.as_deref()),
            (Code::KeyLoadFailed, Some("private_key"), Some("folder"))
        );
        assert!(e.message.contains(&dir.path().display().to_string()));

        // Built from parts: no source file holds a literal private-key header.
        let pasted = ["-----BEGIN", " RSA PRIVATE", " KEY-----\nMIIE"].concat();
        let e = Workspace::read_private_key_file(Path::new(&pasted)).unwrap_err();
        assert_eq!(e.detail.as_deref(), Some("contents_not_path"));
        assert!(!e.message.contains("MIIE"), "{}", e.message);

        let missing = dir.path().join("nope.pem");
        let e = Workspace::read_ca_cert_file(&missing).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref(), e.detail.as_deref()),
            (
                Code::CaCertUnreadable,
                Some("ca_cert"),
                Some("file_unreadable")
            )
        );
        assert!(e.message.contains("nope.pem"), "{}", e.message);

        let values = dir.path().join("values.env");
        std::fs::write(&values, b"DOCUSIGN_INTEGRATION_KEY=x\n").unwrap();
        assert_eq!(
            Workspace::read_values_file(&values).unwrap().as_str(),
            "DOCUSIGN_INTEGRATION_KEY=x\n"
        );
        #[cfg(unix)]
        {
            let e = Workspace::read_values_file(Path::new("/dev/zero")).unwrap_err();
            assert_eq!(e.detail.as_deref(), Some("file_not_regular"));
        }
    }

    #[test]
    fn connection_values_are_read_near_their_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("values.env");
        std::fs::write(
            &file,
            "DOCUSIGN_INTEGRATION_KEY=1a2b3c4d-1234-5678-9abc-0123456789ab\n\
             DOCUSIGN_USER_ID=2a2b3c4d-1234-5678-9abc-0123456789ab\n\
             DOCUSIGN_ACCOUNT_ID=3a2b3c4d-1234-5678-9abc-0123456789ab\n\
             DOCUSIGN_BASE_URI=https://demo.docusign.net\n\
             DOCUSIGN_PRIVATE_KEY_FILE=keys/private.key\n",
        )
        .unwrap();
        let read = Workspace::read_connection_values("Acme", &file).unwrap();
        assert_eq!(read.connection.name, "Acme");
        assert_eq!(read.connection.base_uri, "https://demo.docusign.net");
        assert!(read.private_key.is_none());
        assert_eq!(
            read.private_key_file,
            Some(dir.path().join("keys/private.key"))
        );
        assert!(
            read.found.contains(&"Integration Key".to_string()),
            "{:?}",
            read.found
        );

        std::fs::write(
            &file,
            "DOCUSIGN_USER_ID=2a2b3c4d-1234-5678-9abc-0123456789ab\n",
        )
        .unwrap();
        let e = Workspace::read_connection_values("Acme", &file).unwrap_err();
        assert_eq!(e.code, Code::ValuesMissing);
        assert!(
            e.message.starts_with(&format!("{}: ", file.display())),
            "{}",
            e.message
        );
    }

    #[test]
    fn key_info_is_the_wizard_check() {
        let e = Workspace::key_info(&PrivateKeyBytes::new(b"not a key".to_vec())).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (Code::KeyLoadFailed, Some("private_key"))
        );
        assert!(e.message.starts_with("Failed to load RSA private key: "));
    }
}
