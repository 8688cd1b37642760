//! The nine actions of the seed guide as one typed request → one JSON result,
//! shared by the CLI (`dsjwt action …`) and the desktop app's action tester,
//! so both run the same checks and print the same words.

// `ActionFailure` is the one error value of a user's action, made once and shown; its size
// does not matter on that cold path, and boxing it would only complicate the callers.
#![allow(clippy::result_large_err)]

use crate::action_result::{
    ActionAnswer, ActionResult, BouncedRecipient, DownloadedFile, EnvelopeBounce, EnvelopeListing,
    RecipientStatus, RecipientStatusList, SentEnvelope,
};
use crate::problem::{Code, Problem};
use docusign_api::esign::limits;
use docusign_api::esign::{
    DateArg, DocumentId, EsignClient, EsignError, ListEnvelopesQuery, RecipientTabs, Recipients,
    RoleAssignment, SendStatus, TabValue, TemplateEnvelopeRequest, ValidationProblem,
};
use docusign_api::oauth::OAuthError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A role filled for sending from a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoleInput {
    /// The template role, exactly as the template has it.
    pub role_name: String,
    /// The person's name.
    pub name: String,
    /// The person's email.
    pub email: String,
    /// In-person roles only: the name of the person who signs on the host's device; `name`
    /// and `email` are then the host's (F48).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub in_person_signer_name: Option<String>,
}

/// A tab (form field) to prefill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TabInput {
    /// The role whose tab it is.
    pub role_name: String,
    /// The tab's label, exactly as the template has it.
    pub tab_label: String,
    /// The value (checkbox: `true`/`false`; list: one of the list's values).
    pub value: String,
}

/// One action with its inputs. Serialized as `{"action": "list_envelopes", …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ActionRequest {
    /// `GET /envelopes` (listStatusChanges), every page; `from_date` always sent (default 30 days ago).
    ListEnvelopes {
        /// ISO 8601 start.
        #[serde(default)]
        from_date: Option<String>,
        /// ISO 8601 end.
        #[serde(default)]
        to_date: Option<String>,
        /// Comma list of statuses.
        #[serde(default)]
        status: Option<String>,
        /// Folder ID or name.
        #[serde(default)]
        folder_id: Option<String>,
        /// Only envelopes sent from this template.
        #[serde(default)]
        template_id: Option<String>,
        /// DocuSign's `user_filter`: `sender`, `recipient` or `recipient_only` (F50). Without
        /// it the listing shows what the impersonated user may see.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        user_filter: Option<String>,
    },
    /// `GET /envelopes/{envelopeId}` with recipients, custom fields and documents.
    GetEnvelope {
        /// Envelope ID.
        envelope_id: String,
    },
    /// `GET /envelopes/{envelopeId}/documents/{documentId}`, streamed to `out` atomically.
    DownloadDocument {
        /// Envelope ID.
        envelope_id: String,
        /// A document number, `combined`, `archive`, `certificate` or `portfolio`.
        document_id: String,
        /// Where to write the file.
        #[cfg_attr(feature = "ts", ts(type = "string"))]
        out: PathBuf,
        /// For `combined`: include the certificate of completion (sent as `certificate=true|false`
        /// every time, F45). Default: true.
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        certificate: Option<bool>,
    },
    /// `POST /envelopes` from a template, roles and tabs checked against it first.
    SendEnvelopeFromTemplate {
        /// Template ID.
        template_id: String,
        /// Roles to fill.
        roles: Vec<RoleInput>,
        /// Tabs to prefill.
        #[serde(default)]
        tabs: Vec<TabInput>,
        /// Email subject (default: the template's); at most 100 characters once merge
        /// fields are replaced.
        #[serde(default)]
        subject: Option<String>,
        /// Email message (`emailBlurb`; default: the template's); at most 10,000 characters.
        #[serde(default)]
        message: Option<String>,
        /// Save as a draft instead of sending.
        #[serde(default)]
        draft: bool,
    },
    /// The checks of `send_envelope_from_template` and the exact body it would send; sends nothing
    /// (one `GET /templates/{id}/recipients`).
    PreviewEnvelopeFromTemplate {
        /// Template ID.
        template_id: String,
        /// Roles to fill.
        roles: Vec<RoleInput>,
        /// Tabs to prefill.
        #[serde(default)]
        tabs: Vec<TabInput>,
        /// Email subject.
        #[serde(default)]
        subject: Option<String>,
        /// Email message.
        #[serde(default)]
        message: Option<String>,
        /// Draft.
        #[serde(default)]
        draft: bool,
    },
    /// `PUT /envelopes/{envelopeId}` `{"status":"voided"}` (after checking the status: one GET).
    VoidEnvelope {
        /// Envelope ID.
        envelope_id: String,
        /// Why (required).
        reason: String,
    },
    /// `GET /envelopes/{envelopeId}/recipients`.
    GetRecipientStatus {
        /// Envelope ID.
        envelope_id: String,
    },
    /// `GET /templates`, every page.
    ListTemplates,
    /// `GET /templates/{templateId}/recipients?include_tabs=true`.
    GetTemplateRoles {
        /// Template ID.
        template_id: String,
    },
    /// `GET /envelopes/{envelopeId}/recipients/{recipientId}/tabs` (or every recipient's).
    GetTabValues {
        /// Envelope ID.
        envelope_id: String,
        /// One recipient (default: all).
        #[serde(default)]
        recipient_id: Option<String>,
    },
}

/// The statuses listStatusChanges takes (spec: `status` parameter).
const STATUSES: &[&str] = &[
    "any",
    "completed",
    "created",
    "declined",
    "deleted",
    "delivered",
    "processing",
    "sent",
    "signed",
    "timedout",
    "voided",
];
/// Folder names DocuSign accepts in place of a folder ID.
const FOLDER_NAMES: &[&str] = &[
    "awaiting_my_signature",
    "completed",
    "draft",
    "drafts",
    "expiring_soon",
    "inbox",
    "out_for_signature",
    "recyclebin",
    "sentitems",
    "waiting_for_others",
];

/// How a value the person typed is quoted in a message: in quotes, control characters
/// escaped (`\n`, `\u{7}`), and cut after 40 characters (`…`, with the whole length), so a
/// pasted page or a stray escape sequence stays one readable line; key text is never shown. The
/// one rule of the settings messages too: [`docusign_api::environment::shown_typed`].
pub fn shown(v: &str) -> String {
    docusign_api::environment::shown_typed(v)
}

/// The longest recipient ID accepted (digits): DocuSign's are small numbers ("1", "2") or GUIDs.
const RECIPIENT_ID_MAX_DIGITS: usize = 10;

/// A recipient ID: a positive number (`1`, `2`…, as DocuSign numbers the recipients of an
/// envelope) or a GUID (template recipients, `recipientIdGuid`; F48). Anything else (letters,
/// spaces, `/`, control characters, very long values) is refused before any call.
fn check_recipient_id(action: &str, v: &str) -> Result<String, ActionFailure> {
    let t = v
        .trim()
        .trim_matches(|c| c == '{' || c == '}' || c == '"' || c == '\'');
    let fix = "Use the recipient's number (1, 2, …) or recipient ID GUID as get_recipient_status shows it.";
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        if t.len() > RECIPIENT_ID_MAX_DIGITS {
            return Err(ActionFailure::usage(
                action,
                format!(
                    "the recipient ID {} is not a recipient ID (it has {} digits; recipient numbers are short, at most {RECIPIENT_ID_MAX_DIGITS} digits)",
                    shown(t),
                    t.len()
                ),
            )
            .with_fix(fix));
        }
        if t.bytes().all(|b| b == b'0') {
            return Err(ActionFailure::usage(
                action,
                format!(
                    "the recipient ID {} is not a recipient ID (recipient numbers start at 1)",
                    shown(t)
                ),
            )
            .with_fix(fix));
        }
        return Ok(t.to_string());
    }
    docusign_api::environment::check_guid("recipient ID", t).map_err(|e| {
        let reason = match &e {
            docusign_api::environment::SettingError::IdMalformed { reason, .. } => reason.clone(),
            other => other.to_string(),
        };
        ActionFailure::usage(
            action,
            format!(
                "the recipient ID {} is neither a recipient number nor a GUID ({reason})",
                shown(v.trim())
            ),
        )
        .with_fix(fix)
    })
}

/// The longest file name `--out` / a chosen file may have, in bytes (the common file system
/// limit, `NAME_MAX` on Linux and macOS; Windows counts 255 UTF-16 units, never more bytes).
pub const OUT_NAME_MAX_BYTES: usize = 255;
/// The longest path `--out` may be, in bytes (`PATH_MAX` on Linux).
pub const OUT_PATH_MAX_BYTES: usize = 4095;

/// Checks where a download is to be written, before any call: not empty, no part of the path
/// longer than a file system takes, no NUL. (Whether the folder exists and can be written is
/// found when the download starts, still before the call.)
fn check_out(action: &str, out: &Path) -> Result<(), ActionFailure> {
    let fix_short = "Choose a shorter file name (at most 255 bytes; each accented letter counts 2, most other scripts 3).";
    let text = out.as_os_str().to_string_lossy();
    if text.trim().is_empty() {
        return Err(
            ActionFailure::usage(action, "the place to save the document is empty")
                .with_fix("Give a file name or a folder to save the document to."),
        );
    }
    if text.contains('\0') {
        return Err(ActionFailure::usage(
            action,
            format!(
                "the place to save the document {} contains a NUL character",
                shown(&text)
            ),
        )
        .with_fix("Type the file name again."));
    }
    if out.as_os_str().len() > OUT_PATH_MAX_BYTES {
        return Err(ActionFailure::usage(
            action,
            format!(
                "the place to save the document is {} bytes long; a path may have at most {OUT_PATH_MAX_BYTES}",
                out.as_os_str().len()
            ),
        )
        .with_fix("Choose a shorter folder and file name."));
    }
    for part in out.components() {
        let len = part.as_os_str().len();
        if len > OUT_NAME_MAX_BYTES {
            let name = part.as_os_str().to_string_lossy();
            return Err(ActionFailure::usage(
                action,
                format!(
                    "the name {} in the place to save the document is {len} bytes long; a file system takes at most {OUT_NAME_MAX_BYTES}",
                    shown(&name)
                ),
            )
            .with_fix(fix_short));
        }
    }
    Ok(())
}

/// Checks the place to save a download on this computer, before any call: the folder it goes
/// into exists, is a folder and can be written to (a test file is made there and removed).
/// `out` may be an existing folder (the file then gets DocuSign's name for it) or a file path
/// in an existing folder (an existing file is replaced once the download is complete). A path
/// ending with `/` names a folder, which must exist.
///
/// # Errors
/// [`ActionFailure`] `download_destination`, naming the place and what is wrong with it.
pub fn check_destination(action: &str, out: &Path) -> Result<(), ActionFailure> {
    let refuse = |message: String, fix: &str| {
        Err(ActionFailure::new(
            action,
            Problem::new(Code::DownloadDestination, message, fix).with_field("out"),
        ))
    };
    let fix_folder =
        "Choose a folder that exists (or create it first), or give a file name in one.";
    let text = out.as_os_str().to_string_lossy();
    let names_folder = text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR);
    let dir: PathBuf = if out.is_dir() {
        out.to_path_buf()
    } else if names_folder {
        return match first_problem(out) {
            Some(m) => refuse(m, fix_folder),
            None => refuse(
                format!(
                    "The folder {} does not exist, so nothing was downloaded.",
                    out.display()
                ),
                fix_folder,
            ),
        };
    } else {
        match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    if !dir.is_dir() {
        let m = first_problem(&dir).unwrap_or_else(|| {
            format!(
                "The folder {} does not exist, so nothing was downloaded.",
                dir.display()
            )
        });
        return refuse(m, fix_folder);
    }
    // The download's own kind of part file, removed again at once.
    if let Err(e) = docusign_api::esign::part_files::lock_new_part(&dir) {
        let why = match e.kind() {
            std::io::ErrorKind::StorageFull => "the disk holding it is full",
            std::io::ErrorKind::ReadOnlyFilesystem => "it is on a read-only disk",
            _ => "this computer does not allow writing to it",
        };
        return refuse(
            format!(
                "The folder {} cannot be written to ({why}), so nothing was downloaded.",
                dir.display()
            ),
            "Choose a folder you can write to, such as one in your home folder.",
        );
    }
    Ok(())
}

/// What is wrong with the first part of `path` that is not an existing folder: a file where a
/// folder is needed, or a folder that does not exist (the first missing one named).
fn first_problem(path: &Path) -> Option<String> {
    let mut so_far = PathBuf::new();
    for part in path.components() {
        so_far.push(part);
        match std::fs::metadata(&so_far) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => {
                return Some(format!(
                    "{} is a file, not a folder, so nothing can be saved in it; nothing was downloaded.",
                    so_far.display()
                ))
            }
            Err(_) => {
                return Some(format!(
                    "The folder {} does not exist, so nothing was downloaded.",
                    so_far.display()
                ))
            }
        }
    }
    None
}

fn id(action: &str, what: &'static str, v: &str) -> Result<String, ActionFailure> {
    let t = v
        .trim()
        .trim_matches(|c| c == '{' || c == '}' || c == '"' || c == '\'');
    docusign_api::environment::check_guid(what, t).map_err(|e| {
        let reason = match &e {
            docusign_api::environment::SettingError::IdMalformed { reason, .. } => reason.clone(),
            other => other.to_string(),
        };
        ActionFailure::usage(
            action,
            format!("the {what} {} is not an ID ({reason})", shown(v.trim())),
        )
        .with_fix(format!(
            "Copy the {what} again: it is 36 characters like 1a2b3c4d-1234-5678-9abc-0123456789ab."
        ))
    })
}

fn date(action: &str, flag: &str, v: &Option<String>) -> Result<Option<String>, ActionFailure> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    use time::format_description::well_known::Rfc3339;
    let ok = time::OffsetDateTime::parse(v, &Rfc3339).is_ok()
        || time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
        || time::PrimitiveDateTime::parse(
            v,
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
        )
        .is_ok()
        || time::PrimitiveDateTime::parse(
            v,
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        )
        .is_ok();
    if ok {
        Ok(Some(v.to_string()))
    } else {
        Err(ActionFailure::usage(action, format!("{flag} {} is not a date", shown(v))).with_fix("Use ISO 8601: 2026-11-01, or 2026-11-01T09:30:00Z (UTC; without a zone DocuSign uses its own)."))
    }
}

impl ActionRequest {
    /// Checks and normalises the inputs without any call: IDs are GUIDs
    /// (braces and quotes removed), dates parse, statuses and folder names
    /// are DocuSign's, a void has a reason, a download's place to save is a folder that
    /// exists and can be written to ([`check_destination`]). A typo caught here never
    /// reaches DocuSign, so it cannot reset the Go-Live streak.
    ///
    /// # Errors
    /// [`ActionFailure`] with `code` `usage`, the problem and the fix.
    pub fn checked(&self) -> Result<ActionRequest, ActionFailure> {
        let n = self.name();
        Ok(match self {
            ActionRequest::ListEnvelopes {
                from_date,
                to_date,
                status,
                folder_id,
                template_id,
                user_filter,
            } => {
                let user_filter = match user_filter
                    .as_deref()
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                {
                    None => None,
                    Some(f) if docusign_api::esign::USER_FILTERS.contains(&f.as_str()) => Some(f),
                    Some(f) => {
                        return Err(ActionFailure::usage(
                            n,
                            format!("user filter \"{f}\" is not one of DocuSign's"),
                        )
                        .with_fix("Use sender (envelopes the user sent), recipient (sent to the user) or recipient_only (sent to the user by others)."))
                    }
                };
                let status = match status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => None,
                    Some(s) => {
                        let list: Vec<String> = s
                            .split(',')
                            .map(|x| x.trim().to_ascii_lowercase())
                            .filter(|x| !x.is_empty())
                            .collect();
                        if let Some(bad) = list.iter().find(|x| !STATUSES.contains(&x.as_str())) {
                            return Err(ActionFailure::usage(
                                n,
                                format!("status \"{bad}\" is not an envelope status"),
                            )
                            .with_fix(format!("Use one or more of: {}.", STATUSES.join(", "))));
                        }
                        Some(list.join(","))
                    }
                };
                let folder_id = match folder_id
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                {
                    None => None,
                    Some(f) if FOLDER_NAMES.contains(&f.to_ascii_lowercase().as_str()) => {
                        Some(f.to_ascii_lowercase())
                    }
                    Some(f) => Some(id(n, "folder ID", f).map_err(|e| {
                        e.with_fix(format!(
                            "Use a folder ID or one of: {}.",
                            FOLDER_NAMES.join(", ")
                        ))
                    })?),
                };
                ActionRequest::ListEnvelopes {
                    from_date: date(n, "from date", from_date)?,
                    to_date: date(n, "to date", to_date)?,
                    status,
                    folder_id,
                    template_id: match template_id
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                    {
                        Some(t) => Some(id(n, "template ID", t)?),
                        None => None,
                    },
                    user_filter,
                }
            }
            ActionRequest::GetEnvelope { envelope_id } => ActionRequest::GetEnvelope {
                envelope_id: id(n, "envelope ID", envelope_id)?,
            },
            ActionRequest::DownloadDocument {
                envelope_id,
                document_id,
                out,
                certificate,
            } => {
                let envelope_id = id(n, "envelope ID", envelope_id)?;
                let document = parse_document_id(document_id).map_err(|m| {
                    ActionFailure::usage(n, m).with_fix(
                        "Use the document's number as the envelope lists it (1, 2, …), or combined, archive, certificate or portfolio.",
                    )
                })?;
                check_out(n, out)?;
                check_destination(n, out)?;
                ActionRequest::DownloadDocument {
                    envelope_id,
                    document_id: document.as_segment(),
                    out: out.clone(),
                    certificate: *certificate,
                }
            }
            ActionRequest::SendEnvelopeFromTemplate {
                template_id,
                roles,
                tabs,
                subject,
                message,
                draft,
            } => {
                if roles.is_empty() {
                    return Err(ActionFailure::usage(n, "at least one role is needed")
                        .with_fix("Give a name and email for at least one of the template's roles (the template's roles list them)."));
                }
                check_lengths(n, roles, subject, message)?;
                ActionRequest::SendEnvelopeFromTemplate {
                    template_id: id(n, "template ID", template_id)?,
                    roles: roles.clone(),
                    tabs: tabs.clone(),
                    subject: subject.clone(),
                    message: message.clone(),
                    draft: *draft,
                }
            }
            ActionRequest::PreviewEnvelopeFromTemplate {
                template_id,
                roles,
                tabs,
                subject,
                message,
                draft,
            } => {
                check_lengths(n, roles, subject, message)?;
                ActionRequest::PreviewEnvelopeFromTemplate {
                    template_id: id(n, "template ID", template_id)?,
                    roles: roles.clone(),
                    tabs: tabs.clone(),
                    subject: subject.clone(),
                    message: message.clone(),
                    draft: *draft,
                }
            }
            ActionRequest::VoidEnvelope {
                envelope_id,
                reason,
            } => {
                if reason.trim().is_empty() {
                    return Err(ActionFailure::usage(
                        n,
                        "a reason is required to void an envelope",
                    )
                    .with_fix("Give a short reason; DocuSign shows it to the recipients."));
                }
                ActionRequest::VoidEnvelope {
                    envelope_id: id(n, "envelope ID", envelope_id)?,
                    reason: reason.trim().to_string(),
                }
            }
            ActionRequest::GetRecipientStatus { envelope_id } => {
                ActionRequest::GetRecipientStatus {
                    envelope_id: id(n, "envelope ID", envelope_id)?,
                }
            }
            ActionRequest::ListTemplates => ActionRequest::ListTemplates,
            ActionRequest::GetTemplateRoles { template_id } => ActionRequest::GetTemplateRoles {
                template_id: id(n, "template ID", template_id)?,
            },
            ActionRequest::GetTabValues {
                envelope_id,
                recipient_id,
            } => ActionRequest::GetTabValues {
                envelope_id: id(n, "envelope ID", envelope_id)?,
                recipient_id: match recipient_id.as_deref().filter(|r| !r.trim().is_empty()) {
                    Some(r) => Some(check_recipient_id(n, r)?),
                    None => None,
                },
            },
        })
    }

    /// The action's name (`list_envelopes`, …).
    pub fn name(&self) -> &'static str {
        match self {
            ActionRequest::ListEnvelopes { .. } => "list_envelopes",
            ActionRequest::GetEnvelope { .. } => "get_envelope",
            ActionRequest::DownloadDocument { .. } => "download_document",
            ActionRequest::SendEnvelopeFromTemplate { .. } => "send_envelope_from_template",
            ActionRequest::PreviewEnvelopeFromTemplate { .. } => "preview_envelope_from_template",
            ActionRequest::VoidEnvelope { .. } => "void_envelope",
            ActionRequest::GetRecipientStatus { .. } => "get_recipient_status",
            ActionRequest::ListTemplates => "list_templates",
            ActionRequest::GetTemplateRoles { .. } => "get_template_roles",
            ActionRequest::GetTabValues { .. } => "get_tab_values",
        }
    }
}

/// Why an action did not succeed: DocuSign's words (`error_code`, verbatim
/// message) or our own pre-send check (`code` = `validation`), with a fix. Reads as its
/// [`Problem`] (`failure.code`, `failure.fix()`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActionFailure {
    /// Always false.
    pub ok: bool,
    /// The action.
    pub action: String,
    /// The problem: the code (`api`, `auth`, `rate_limited`, `validation`,
    /// `network_unreachable`, `usage`, …), what happened and what to do.
    #[serde(flatten)]
    pub problem: Problem,
    /// DocuSign's `errorCode` (eSignature) or OAuth `error` (token), when DocuSign refused.
    #[serde(rename = "errorCode")]
    pub error_code: Option<String>,
    /// HTTP status, when one came.
    pub status: Option<u16>,
    /// Pre-send check problems (role/tab names, with "did you mean"); always present (`[]`
    /// when none), as the desktop's binding has it.
    #[cfg_attr(
        feature = "ts",
        ts(type = "Array<{ code: string, message: string, suggestion?: string | null }>")
    )]
    pub problems: Vec<ValidationProblem>,
    /// Unix seconds when the rate limit resets, when rate-limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_at: Option<u64>,
    /// The technical words behind the failure (the network library's error, the start of an
    /// unexpected answer), for a "Details" fold; `message` says it in plain words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub details: Option<String>,
    /// `false` when a call of this action could not be written down in the Go-Live ledger
    /// (the disk is full); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ledger_recorded: Option<bool>,
    /// Why, and that the streak is unknown until a call is recorded again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ledger_problem: Option<String>,
}

impl std::ops::Deref for ActionFailure {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.problem
    }
}

impl ActionFailure {
    /// A failure from the client's error (`base_host`: the eSignature host the call went to,
    /// named when it could not be reached).
    pub fn from_error(action: &str, e: &EsignError) -> Self {
        Self::from_error_at(action, e, None)
    }

    /// [`ActionFailure::from_error`], naming `base_host` when it could not be reached.
    pub fn from_error_at(action: &str, e: &EsignError, base_host: Option<&str>) -> Self {
        let error_code = match e {
            EsignError::Auth(OAuthError::OAuth { error, .. }) => Some(error.clone()),
            _ => e.error_code().map(String::from),
        };
        if let Some(f) = network_failure(action, e, base_host) {
            return f;
        }
        // The token server answered 429 / 5xx (after the client's retries): the health
        // check's words for the same fault.
        if let EsignError::Auth(
            err @ (OAuthError::OAuth { status, .. } | OAuthError::Http { status, .. }),
        ) = e
        {
            let host = match err {
                OAuthError::Http { url, .. } => reqwest::Url::parse(url).ok().and_then(|u| {
                    u.host_str().map(|h| match u.port() {
                        Some(p) => format!("{h}:{p}"),
                        None => h.to_string(),
                    })
                }),
                _ => None,
            }
            .unwrap_or_else(|| "DocuSign's sign-in server".into());
            if let Some((code, message, fix)) = crate::health::token_server_trouble(&host, *status)
            {
                return ActionFailure {
                    error_code,
                    status: Some(*status),
                    details: Some(e.to_string()),
                    ..ActionFailure::new(action, Problem::new(code, message, fix))
                };
            }
        }
        let code = Code::from_wire_or_unknown(e.kind());
        // The message is plain words; the error's own text (the method and path, the HTTP
        // status, the OS's words) goes to `details` only.
        let message = plain_message(action, e, code);
        let details = match e {
            EsignError::NotRecorded { .. } | EsignError::Validation { .. } => None,
            _ => Some(e.to_string()),
        };
        let fix = e.fix().map(String::from).or_else(|| fallback_fix(e));
        ActionFailure {
            ok: false,
            action: action.into(),
            problem: Problem::new(code, message, fix.unwrap_or_default()),
            error_code,
            status: e.status(),
            details,
            problems: match e {
                EsignError::Validation { problems } => problems.clone(),
                _ => vec![],
            },
            reset_at: match e {
                EsignError::RateLimited {
                    reset_at: Some(t), ..
                } => t
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()
                    .map(|d| d.as_secs()),
                _ => None,
            },
            // Not sent because it could not be written down first: the ledger lacks this
            // action's call, whichever call of the process was or was not recorded before.
            ledger_recorded: matches!(e, EsignError::NotRecorded { .. }).then_some(false),
            ledger_problem: match e {
                EsignError::NotRecorded { reason } => Some(format!(
                    "The call was not sent, because it could not be recorded in the Go-Live ledger: {reason}."
                )),
                _ => None,
            },
        }
    }

    /// The failure of an ID check ([`crate::id_checks`]): the ID's refusal as it is, or the
    /// failure of the list call as any failed call.
    pub fn from_id_check(
        action: &str,
        e: crate::id_checks::IdCheckError,
        client: &EsignClient,
    ) -> Self {
        match e {
            crate::id_checks::IdCheckError::NotFound(p) => ActionFailure::new(action, p),
            crate::id_checks::IdCheckError::CheckFailed(e) => {
                let host = client
                    .base_uri()
                    .as_str()
                    .trim_start_matches("https://")
                    .to_string();
                ActionFailure::from_error_at(action, &e, Some(&host))
            }
        }
    }

    /// A failure of the input itself (bad document ID, no role given…).
    pub fn usage(action: &str, message: impl Into<String>) -> Self {
        ActionFailure::new(action, Problem::new(Code::Usage, message, ""))
    }

    /// A failure of `action` with this problem (no DocuSign error code, no status).
    pub fn new(action: &str, problem: Problem) -> Self {
        ActionFailure {
            ok: false,
            action: action.into(),
            problem,
            error_code: None,
            status: None,
            problems: vec![],
            reset_at: None,
            details: None,
            ledger_recorded: None,
            ledger_problem: None,
        }
    }

    /// The same failure with this fix.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.problem.fix = fix.into();
        self
    }

    /// True when the input was at fault and refused before the call it was for (usage,
    /// pre-send validation, a local file problem, an ID that is not in the account's or the
    /// envelope's list, a place to save that cannot be used): the CLI exits 2 for these, 1 when
    /// DocuSign refused.
    pub fn is_input_problem(&self) -> bool {
        matches!(
            self.problem.code,
            Code::Usage
                | Code::Validation
                | Code::Io
                | Code::TemplateNotInAccount
                | Code::DocumentNotInEnvelope
                | Code::RecipientNotInEnvelope
                | Code::DownloadDestination
        )
    }
}

/// What `action` was doing, in words that follow "DocuSign refused to".
fn action_words(action: &str) -> &'static str {
    match action {
        "list_envelopes" => "list the envelopes",
        "get_envelope" => "give the envelope",
        "download_document" => "give the document",
        "send_envelope_from_template" => "send the envelope",
        "preview_envelope_from_template" => "give the template's roles for the preview",
        "void_envelope" => "void the envelope",
        "get_recipient_status" => "give the recipients' status",
        "list_templates" => "list the templates",
        "get_template_roles" => "give the template's roles",
        "get_tab_values" => "give the field values",
        _ => "do this",
    }
}

/// `s` as a sentence: trimmed, ending with a full stop (or `?`/`!`).
fn sentence(s: &str) -> String {
    let t = s.trim();
    if t.ends_with(['.', '?', '!']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// The plain-words message of a failed action's error: what was refused or went wrong, naming
/// DocuSign's own sentence when it gave one, with no method, path, URL, HTTP status or
/// operating system text (those are the error's `Display`, kept in `details`).
fn plain_message(action: &str, e: &EsignError, code: Code) -> String {
    match e {
        EsignError::Api {
            error_code: Some(_),
            message,
            ..
        } if !message.trim().is_empty() => format!(
            "DocuSign refused to {}: {}",
            action_words(action),
            sentence(message)
        ),
        EsignError::Api { status, .. } if *status >= 500 => format!(
            "DocuSign had a problem on its side and did not {} (it answered with an error page).",
            action_words(action).replacen("give", "send", 1)
        ),
        EsignError::Api { .. } => format!(
            "DocuSign refused to {}, without saying why (its answer was not one of its error messages).",
            action_words(action)
        ),
        EsignError::Auth(OAuthError::OAuth {
            error, description, ..
        }) => format!(
            "DocuSign did not give an access token: it answered {error}{}.",
            description
                .as_deref()
                .filter(|d| !d.trim().is_empty())
                .map(|d| format!(" (\"{}\")", d.trim()))
                .unwrap_or_default()
        ),
        EsignError::Auth(OAuthError::NotUserToken { .. }) => sentence(&e.to_string().replace("could not get an access token: ", "")),
        EsignError::Auth(_) => "DocuSign did not give an access token.".into(),
        EsignError::Io { path, source } => io_message(path, source),
        EsignError::RateLimited { reset_at, .. } => match reset_at
            .and_then(|t| t.duration_since(std::time::SystemTime::now()).ok())
        {
            Some(left) => format!(
                "DocuSign's API call limit is used up: calls can resume in {} s.",
                left.as_secs()
            ),
            None => "DocuSign's API call limit is used up (DocuSign did not say until when).".into(),
        },
        // Our own words already (the pre-send checks' sentences, the ledger's reason).
        EsignError::NotRecorded { .. } | EsignError::Validation { .. } => e.to_string(),
        _ => crate::messages::title(code).to_string() + ".",
    }
}

/// A local file error in plain words, naming the place.
fn io_message(path: &Path, source: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let at = path.display();
    match source.kind() {
        ErrorKind::NotFound => {
            format!("The folder {at} does not exist, so the document was not saved.")
        }
        ErrorKind::PermissionDenied => {
            format!("This computer does not allow writing to {at}, so the document was not saved.")
        }
        ErrorKind::StorageFull => {
            format!("The disk holding {at} is full, so the document was not saved.")
        }
        ErrorKind::NotADirectory => {
            format!("{at} is not a folder (a file has that name), so the document was not saved.")
        }
        ErrorKind::IsADirectory => {
            format!("{at} is a folder, so the document could not be saved under that name.")
        }
        _ => format!("The document could not be saved at {at}."),
    }
}

/// A failure to reach a host at all (DNS, refused connection, timeout, TLS): its own code
/// (`network_unreachable`, or `tls_untrusted`), plain words naming the host, and the network
/// library's words only in `details`. `None` for any other failure.
fn network_failure(action: &str, e: &EsignError, base_host: Option<&str>) -> Option<ActionFailure> {
    let (host, class, reason) = match e {
        EsignError::Transport { class, reason, .. } => (
            base_host.unwrap_or("DocuSign").to_string(),
            *class,
            reason.clone(),
        ),
        EsignError::Auth(OAuthError::Transport { url, class, reason }) => (
            reqwest::Url::parse(url)
                .ok()
                .and_then(|u| {
                    u.host_str().map(|h| match u.port() {
                        Some(p) => format!("{h}:{p}"),
                        None => h.to_string(),
                    })
                })
                .unwrap_or_else(|| "DocuSign's sign-in server".into()),
            *class,
            reason.clone(),
        ),
        _ => return None,
    };
    let local =
        host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]");
    // A write that went out and got no answer in time may have been done: say so, and how to
    // check, before anything suggests doing it again.
    let done_maybe = match action {
        "send_envelope_from_template" => Some((
            "the envelope may have been created and sent",
            "Before sending again, list the envelopes sent in the last few minutes and look for it; send again only if it is not there.",
        )),
        "void_envelope" => Some((
            "the envelope may have been voided",
            "Before voiding again, get the envelope's status: void it again only if it is not voided.",
        )),
        _ => None,
    };
    let esign_call = matches!(e, EsignError::Transport { .. });
    let (code, message, fix) = match (class, done_maybe) {
        ("timeout", Some((what, check))) if esign_call => (
            Code::OutcomeUnknown,
            format!("{host} did not answer in time after the request was sent: {what}."),
            check.to_string(),
        ),
        _ => network_words(class, local, &host),
    };
    Some(ActionFailure {
        details: Some(reason),
        ..ActionFailure::new(action, Problem::new(code, message, fix))
    })
}

/// The words for a call that could not reach `host` (or got no answer from it): code, message
/// and fix by the transport failure's class (`tls`, `timeout`, `connect`, `other`).
fn network_words(class: &str, local: bool, host: &str) -> (Code, String, String) {
    match class {
        "tls" => (
            Code::TlsUntrusted,
            format!("The HTTPS certificate of {host} is not trusted, so nothing was sent to it."),
            if local { "Start the sandbox again: it gives the app its certificate.".to_string() } else { crate::messages::TLS_INSPECTION_FIX.to_string() },
        ),
        "timeout" if local => (
            Code::NetworkUnreachable,
            format!("The sandbox at {host} did not answer in time (it may be busy or stuck)."),
            "Start the sandbox again, then try again.".to_string(),
        ),
        _ if local => (
            Code::NetworkUnreachable,
            format!("Could not reach the sandbox at {host}: it is not running."),
            "Start the sandbox again, then try again.".to_string(),
        ),
        "timeout" => (
            Code::NetworkUnreachable,
            format!("Could not reach {host}: it did not answer in time (a slow or broken connection, or a firewall)."),
            "Check the internet connection, then try again.".to_string(),
        ),
        _ => (
            Code::NetworkUnreachable,
            format!("Could not reach {host}: no connection, or a firewall blocks it."),
            format!("Check the internet connection, and that a firewall or proxy lets this computer reach {host} over HTTPS; then try again."),
        ),
    }
}

/// A fix for the failures the client gives none for, matching the failure: the same advice
/// as the health check, in words that fit both the CLI and the desktop app (no command, flag
/// or function names), so the action tester and the CLI never leave a user stuck.
fn fallback_fix(e: &EsignError) -> Option<String> {
    use docusign_api::oauth::{InvalidGrantReason, OAuthErrorKind};
    Some(match e {
        EsignError::Auth(OAuthError::OAuth { kind: OAuthErrorKind::ConsentRequired, .. }) => {
            "The user has not granted consent in this environment: the health check gives the exact consent page; open it, sign in as the user and click Allow.".into()
        }
        EsignError::Auth(OAuthError::OAuth { kind: OAuthErrorKind::InvalidGrant(r), .. }) => match r {
            InvalidGrantReason::NoValidKeysOrSignatures => "DocuSign could not verify the key: register this key's public half on the integration key, or check the computer's clock. The health check says which.".into(),
            InvalidGrantReason::IssuerNotFound => "The integration key is unknown in this environment: check it for typos, and that it belongs to this environment.".into(),
            InvalidGrantReason::UserNotFound | InvalidGrantReason::InvalidSubject => "The user ID is unknown in this environment: use the API Username from Users and Groups in the account that owns the integration key.".into(),
            _ => "Run the health check: it names the cause and the fix.".into(),
        },
        EsignError::Auth(_) => "Run the health check: it names the problem with the token.".into(),
        EsignError::NotRecorded { .. } => crate::messages::fix(Code::NotRecorded).into(),
        EsignError::Api { status, .. } if *status >= 500 => "DocuSign had a problem on its side: try again in a few minutes.".into(),
        EsignError::Api { error_code: None, .. } => "The answer was not one of DocuSign's error messages: something between this computer and DocuSign (a proxy or firewall) may have answered instead. Try again; if it keeps happening, ask your network admin whether a proxy answers for DocuSign.".into(),
        EsignError::Api { error_code: Some(c), .. } if c == "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT" => {
            "The account ID is not one of this user's accounts: run the health check, which lists the accounts the token can act on.".into()
        }
        EsignError::Api { error_code: Some(c), .. } if c.ends_with("DOES_NOT_EXIST") || c.starts_with("INVALID_") => "Check the IDs given: pick them from the account's lists of envelopes and templates.".into(),
        EsignError::Validation { problems } => validation_fix(problems),
        EsignError::Io { .. } => "Choose a folder that exists and that you can write to.".into(),
        EsignError::Sign(_) | EsignError::Decode { .. } | EsignError::Paging { .. } | EsignError::RateLimited { .. } => crate::messages::fix(Code::from_wire_or_unknown(e.kind())).into(),
        _ => return None,
    })
}

/// Whether a recipient's `clientUserId` makes it an embedded signer (F42: any non-empty
/// value; spec `templateRole.clientUserId`: "If the clientUserId is not null, then the
/// recipient is embedded").
pub fn is_embedded(client_user_id: Option<&str>) -> bool {
    client_user_id.is_some_and(|c| !c.trim().is_empty())
}

/// The sentence shown for an embedded signer (F42): DocuSign sends them no email.
pub fn embedded_note(who: &str) -> String {
    format!("{who} is an embedded signer (the envelope sets a clientUserId): DocuSign sends them no email; only the sender's own app can open their signing session. This app never sets one: to have DocuSign email them, send the envelope again without it.")
}

/// What a downloaded file holds, in words (F45: say whether the certificate is in it).
pub fn contents(doc: DocumentId, certificate: bool) -> String {
    match doc {
        DocumentId::Id(n) => format!("document {n} only (no certificate of completion)"),
        DocumentId::Combined if certificate => {
            "all documents in one PDF, followed by the certificate of completion".into()
        }
        DocumentId::Combined => {
            "all documents in one PDF, without the certificate of completion".into()
        }
        DocumentId::Archive => {
            "a ZIP file of every document and the certificate of completion".into()
        }
        DocumentId::Certificate => "the certificate of completion only".into(),
        DocumentId::Portfolio => {
            "all documents as a PDF portfolio (no certificate of completion)".into()
        }
    }
}

/// The fix of our own pre-send checks, matching the first problem: a void refused for the
/// envelope's state says which envelopes can be voided; a role or field name close to the
/// template's says which it probably was ("did you mean" only for a different name).
fn validation_fix(problems: &[ValidationProblem]) -> String {
    let Some(first) = problems.first() else {
        return crate::messages::fix(Code::Validation).into();
    };
    match first.code {
        "role_not_in_template" | "tab_not_on_role" | "value_not_in_list" => {
            match problems.iter().find_map(|p| p.suggestion.clone()) {
                Some(s) => format!("Did you mean \"{s}\"? Names must match the template exactly."),
                None => crate::messages::fix(Code::from_wire_or_unknown(first.code)).into(),
            }
        }
        code => crate::messages::fix(Code::from_wire_or_unknown(code)).into(),
    }
}

/// F44: what a Date Signed value is. Tab values are returned exactly as DocuSign sent them.
pub const DATE_SIGNED_NOTE: &str = "Date Signed values are text in the date format and time zone of the DocuSign user's regional settings (for example 11/22/2022 | 10:02 AM PST), shown exactly as DocuSign sent them. For an exact time, use the recipient's signed time from the recipient status (UTC).";

/// F43: a recipient whose notification email bounced (`autoresponded`). The envelope stays
/// `sent`, so nothing else tells the sender. `None` for any other status.
pub fn bounce_problem(r: &docusign_api::esign::Recipient) -> Option<BouncedRecipient> {
    if !r
        .status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("autoresponded"))
    {
        return None;
    }
    let who = r
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| r.email.clone())
        .unwrap_or_else(|| "A recipient".into());
    let email = r.email.clone().unwrap_or_default();
    let reason = r
        .auto_responded_reason
        .clone()
        .filter(|s| !s.trim().is_empty());
    let message = format!(
        "Delivery failure: the email to {who}{} bounced{}. The envelope still says \"sent\", but this person never got it.",
        if email.is_empty() { String::new() } else { format!(" <{email}>") },
        reason.as_deref().map(|r| format!(" (\"{r}\")")).unwrap_or_default()
    );
    Some(BouncedRecipient {
        problem: Problem::new(
            Code::EmailBounced,
            message,
            crate::messages::fix(Code::EmailBounced),
        ),
        recipient_id: r.recipient_id.clone(),
        name: r.name.clone(),
        email: r.email.clone(),
        reason,
    })
}

/// The delivery problems (bounced recipients, F43) of a listed envelope (the listing asks
/// for `include=recipients`), each with the envelope ID and subject.
pub fn delivery_problems(e: &docusign_api::esign::Envelope) -> Vec<EnvelopeBounce> {
    let Some(r) = &e.recipients else {
        return Vec::new();
    };
    r.all()
        .filter_map(|(_, x)| bounce_problem(x))
        .map(|problem| EnvelopeBounce {
            problem,
            envelope_id: e.envelope_id.clone(),
            email_subject: e.email_subject.clone(),
        })
        .collect()
}

/// F50: whose envelopes a listing shows, in plain words. DocuSign lists only what the
/// impersonated user may see: envelopes they sent or receive, unless their permission profile
/// allows "view and manage envelope rights through API" (then the whole account's).
pub fn visibility_note(user_id: &str, user_filter: Option<&str>, empty: bool) -> String {
    let scope = match user_filter {
        Some("sender") => format!("envelopes sent by the connection's user ({user_id})"),
        Some("recipient") => format!("envelopes sent to the connection's user ({user_id})"),
        Some("recipient_only") => format!(
            "envelopes sent to the connection's user ({user_id}) by someone else"
        ),
        _ => format!("envelopes the connection's user ({user_id}) may see: those they sent or receive, or every envelope of the account if their permission profile allows it"),
    };
    let mut note = format!("This list shows only {scope}. Envelopes colleagues sent are missing unless the user's DocuSign permission profile has \"Allow view and manage envelope rights through API\" (an admin sets it in Settings > Permission Profiles), or you connect as a user who has it.");
    if empty {
        note.push_str(
            " An empty list may be this visibility limit, not a sign that no envelope exists.",
        );
    }
    note
}

/// Parses a document ID: a number, `combined`, `archive`, `certificate` or `portfolio`.
///
/// # Errors
/// A sentence naming the accepted values.
/// A document number is 1 to 9 digits, from 1, written without leading zeros (DocuSign's
/// `documentId` is a positive integer kept as text: `007` is not the document `7`).
///
/// # Errors
/// A sentence naming the value (cut when long) and the accepted values.
pub fn parse_document_id(s: &str) -> Result<DocumentId, String> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "combined" => return Ok(DocumentId::Combined),
        "archive" => return Ok(DocumentId::Archive),
        "certificate" => return Ok(DocumentId::Certificate),
        "portfolio" => return Ok(DocumentId::Portfolio),
        _ => {}
    }
    let accepted = "a document number (1, 2, …), combined, archive, certificate or portfolio";
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("the document ID {} must be {accepted}", shown(s)));
    }
    if t.bytes().all(|b| b == b'0') {
        return Err(format!(
            "the document ID {} is not a document number (documents are numbered from 1)",
            shown(t)
        ));
    }
    if t.starts_with('0') {
        return Err(format!(
            "the document ID {} starts with a zero: document numbers are written without leading zeros ({})",
            shown(t),
            t.trim_start_matches('0')
        ));
    }
    if t.len() > 9 {
        return Err(format!(
            "the document ID {} has {} digits; document numbers have at most 9",
            shown(t),
            t.len()
        ));
    }
    t.parse::<u32>()
        .map(DocumentId::Id)
        .map_err(|_| format!("the document ID {} must be {accepted}", shown(s)))
}

/// DocuSign's documented length limits of the send form (subject, message, each role's name
/// and email), checked before any call.
fn check_lengths(
    action: &str,
    roles: &[RoleInput],
    subject: &Option<String>,
    message: &Option<String>,
) -> Result<(), ActionFailure> {
    let people: Vec<limits::Person<'_>> = roles
        .iter()
        .map(|r| limits::Person {
            role_name: &r.role_name,
            name: &r.name,
            email: &r.email,
        })
        .collect();
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let problems = limits::check_lengths(
        nonempty(subject).as_deref(),
        nonempty(message).as_deref(),
        &people,
    );
    if problems.is_empty() {
        return Ok(());
    }
    let mut f = ActionFailure::from_error(action, &EsignError::Validation { problems });
    f.problem.fix = "Shorten what is too long: DocuSign refuses the whole envelope otherwise, and nothing was sent.".into();
    Err(f)
}

fn template_request(
    template_id: &str,
    roles: &[RoleInput],
    tabs: &[TabInput],
    subject: &Option<String>,
    message: &Option<String>,
    draft: bool,
) -> TemplateEnvelopeRequest {
    TemplateEnvelopeRequest {
        template_id: template_id.to_string(),
        roles: roles
            .iter()
            .map(|r| RoleAssignment {
                role_name: r.role_name.clone(),
                name: r.name.trim().to_string(),
                email: r.email.trim().to_string(),
                in_person_signer_name: r
                    .in_person_signer_name
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            })
            .collect(),
        tabs: tabs
            .iter()
            .map(|t| TabValue {
                role_name: t.role_name.clone(),
                tab_label: t.tab_label.clone(),
                value: t.value.clone(),
            })
            .collect(),
        email_subject: subject.clone().filter(|s| !s.trim().is_empty()),
        email_blurb: message.clone().filter(|s| !s.trim().is_empty()),
        status: if draft {
            SendStatus::Created
        } else {
            SendStatus::Sent
        },
        template_name: None,
    }
}

/// The status-listing query of a `list_envelopes` request (blank fields left out), with
/// recipients and custom fields included (for the delivery problems and template filter).
pub(crate) fn envelopes_query(
    from_date: &Option<String>,
    to_date: &Option<String>,
    status: &Option<String>,
    folder_id: &Option<String>,
    template_id: &Option<String>,
    user_filter: &Option<String>,
) -> ListEnvelopesQuery {
    ListEnvelopesQuery {
        from_date: from_date
            .clone()
            .filter(|s| !s.trim().is_empty())
            .map(DateArg::Text),
        to_date: to_date
            .clone()
            .filter(|s| !s.trim().is_empty())
            .map(DateArg::Text),
        status: status
            .as_deref()
            .map(|s| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        folder_ids: folder_id
            .clone()
            .filter(|s| !s.trim().is_empty())
            .into_iter()
            .collect(),
        template_id: template_id.clone().filter(|s| !s.trim().is_empty()),
        include: vec!["custom_fields".into(), "recipients".into()],
        user_filter: user_filter.clone(),
        ..Default::default()
    }
}

/// Runs one action. `progress(bytes_done, total)` is called during downloads.
/// The success value is `{"ok": true, "action": …, …}`; every field name is
/// stable (the CLI prints it as is). When this computer's clock was off and the
/// assertion had to use DocuSign's time (from its `Date` header), the first result
/// after that also carries `clock_notice` (a sentence) and `clock_skew_seconds`.
///
/// # Errors
/// [`ActionFailure`] with DocuSign's words or our check's.
pub async fn run(
    client: &EsignClient,
    req: &ActionRequest,
    progress: impl FnMut(u64, Option<u64>),
) -> Result<ActionResult, ActionFailure> {
    let req = req.checked()?;
    verify_template(client, &req).await?;
    let answer = run_checked(client, &req, progress).await?;
    let mut v = ActionResult::new(answer);
    // Said once per client: the first result after assertions switched to DocuSign's time.
    if let Some(n) = client.take_clock_notice() {
        v.clock_notice = Some(n.message);
        v.clock_skew_seconds = Some(n.skew_seconds);
    }
    Ok(v)
}

/// The template an action names (send, preview, the template's roles), checked against the
/// account's template list first (one call that succeeds, see [`crate::id_checks`]): an ID the
/// account does not have is refused here instead of failing DocuSign's call
/// (`TEMPLATE_ID_INVALID`), which would reset the Go-Live streak.
async fn verify_template(client: &EsignClient, req: &ActionRequest) -> Result<(), ActionFailure> {
    let template_id = match req {
        ActionRequest::SendEnvelopeFromTemplate { template_id, .. }
        | ActionRequest::PreviewEnvelopeFromTemplate { template_id, .. }
        | ActionRequest::GetTemplateRoles { template_id } => template_id,
        _ => return Ok(()),
    };
    crate::id_checks::template_in_account(client, template_id)
        .await
        .map_err(|e| ActionFailure::from_id_check(req.name(), e, client))
}

async fn run_checked(
    client: &EsignClient,
    req: &ActionRequest,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<ActionAnswer, ActionFailure> {
    let name = req.name();
    let host = client
        .base_uri()
        .as_str()
        .trim_start_matches("https://")
        .to_string();
    let fail = |e: EsignError| ActionFailure::from_error_at(name, &e, Some(&host));
    match req {
        ActionRequest::ListEnvelopes {
            from_date,
            to_date,
            status,
            folder_id,
            template_id,
            user_filter,
        } => {
            let q = envelopes_query(
                from_date,
                to_date,
                status,
                folder_id,
                template_id,
                user_filter,
            );
            let l = client.list_envelopes(&q).await.map_err(fail)?;
            let delivery_problems = l.envelopes.iter().flat_map(delivery_problems).collect();
            Ok(ActionAnswer::ListEnvelopes(EnvelopeListing {
                count: l.envelopes.len(),
                total_set_size: l.total_set_size,
                pages: l.pages,
                visibility: visibility_note(
                    client.user_id(),
                    user_filter.as_deref(),
                    l.envelopes.is_empty(),
                ),
                from_date: l.from_date,
                last_queried_date_time: l.last_queried_date_time,
                envelopes: l.envelopes,
                user_filter: user_filter.clone(),
                delivery_problems,
            }))
        }
        ActionRequest::GetEnvelope { envelope_id } => {
            let e = client
                .get_envelope_with(envelope_id, &["recipients", "custom_fields", "documents"])
                .await
                .map_err(fail)?;
            Ok(ActionAnswer::GetEnvelope {
                envelope: serde_json::to_value(&e).unwrap_or_default(),
            })
        }
        ActionRequest::DownloadDocument {
            envelope_id,
            document_id,
            out,
            certificate,
        } => {
            let doc = parse_document_id(document_id).map_err(|m| ActionFailure::usage(name, m))?;
            let certificate = certificate.unwrap_or(true);
            let d = client
                .download_document_with(envelope_id, doc, certificate, out, &mut progress)
                .await
                .map_err(fail)?;
            Ok(ActionAnswer::DownloadDocument(DownloadedFile {
                path: d.path,
                bytes: d.bytes,
                content_type: d.content_type,
                filename: d.filename,
                was_base64: d.was_base64,
                certificate_included: d.certificate_included,
                contains: contents(doc, certificate),
            }))
        }
        ActionRequest::SendEnvelopeFromTemplate {
            template_id,
            roles,
            tabs,
            subject,
            message,
            draft,
        } => {
            if roles.is_empty() {
                return Err(ActionFailure::usage(name, "at least one role is needed")
                    .with_fix("Give a name and email for at least one of the template's roles."));
            }
            let mut r = template_request(template_id, roles, tabs, subject, message, *draft);
            // Messages name the template, not its bare ID (found by a fresh user).
            r.template_name = crate::id_checks::known_template_name(client, template_id);
            let s = client.send_envelope_from_template(&r).await.map_err(fail)?;
            Ok(ActionAnswer::SendEnvelopeFromTemplate(SentEnvelope {
                template_id: template_id.clone(),
                envelope_id: s.envelope_id,
                status: s.status,
                status_date_time: s.status_date_time,
                uri: s.uri,
            }))
        }
        ActionRequest::PreviewEnvelopeFromTemplate {
            template_id,
            roles,
            tabs,
            subject,
            message,
            draft,
        } => {
            let mut r = template_request(template_id, roles, tabs, subject, message, *draft);
            // Messages name the template, not its bare ID (found by a fresh user).
            r.template_name = crate::id_checks::known_template_name(client, template_id);
            let p = client
                .prepare_envelope_from_template(&r)
                .await
                .map_err(fail)?;
            Ok(ActionAnswer::PreviewEnvelopeFromTemplate(p))
        }
        ActionRequest::VoidEnvelope {
            envelope_id,
            reason,
        } => {
            client
                .void_envelope(envelope_id, reason)
                .await
                .map_err(fail)?;
            Ok(ActionAnswer::VoidEnvelope {
                envelope_id: envelope_id.clone(),
                status: "voided".into(),
                voided_reason: reason.clone(),
            })
        }
        ActionRequest::GetRecipientStatus { envelope_id } => {
            let r = client
                .get_recipient_status(envelope_id)
                .await
                .map_err(fail)?;
            Ok(recipient_status(envelope_id, &r))
        }
        ActionRequest::ListTemplates => {
            let t = client.list_templates().await.map_err(fail)?;
            Ok(ActionAnswer::ListTemplates {
                count: t.len(),
                templates: t,
            })
        }
        ActionRequest::GetTemplateRoles { template_id } => {
            let r = client.get_template_roles(template_id).await.map_err(fail)?;
            Ok(ActionAnswer::GetTemplateRoles(r))
        }
        ActionRequest::GetTabValues {
            envelope_id,
            recipient_id,
        } => {
            let r = client
                .get_tab_values(envelope_id, recipient_id.as_deref())
                .await
                .map_err(fail)?;
            Ok(tab_values(envelope_id, r))
        }
    }
}

/// The answer of `get_recipient_status` from a recipients answer.
/// Recipients with a `clientUserId` are embedded signers who get no email (F42): flagged
/// (`embedded`, `delivery`) and explained in `notes`.
pub(crate) fn recipient_status(envelope_id: &str, r: &Recipients) -> ActionAnswer {
    let mut notes: Vec<String> = Vec::new();
    let list: Vec<RecipientStatus> = r
        .all()
        .map(|(t, x)| {
            let embedded = is_embedded(x.client_user_id.as_deref());
            if embedded {
                notes.push(embedded_note(
                    x.name
                        .as_deref()
                        .or(x.email.as_deref())
                        .unwrap_or("A recipient"),
                ));
            }
            RecipientStatus {
                recipient_type: t.to_string(),
                recipient_id: x.recipient_id.clone(),
                name: x.name.clone(),
                email: x.email.clone(),
                role_name: x.role_name.clone(),
                routing_order: x.routing_order,
                status: x.status.clone(),
                sent_date_time: x.sent_date_time.clone(),
                delivered_date_time: x.delivered_date_time.clone(),
                signed_date_time: x.signed_date_time.clone(),
                declined_date_time: x.declined_date_time.clone(),
                declined_reason: x.declined_reason.clone(),
                auto_responded_reason: x.auto_responded_reason.clone(),
                client_user_id: x.client_user_id.clone(),
                embedded,
                delivery: if embedded {
                    "embedded: DocuSign sends no email"
                } else {
                    "email"
                }
                .into(),
                // F43: a bounced recipient is a problem with its fix.
                problem: bounce_problem(x),
            }
        })
        .collect();
    let problems = list.iter().filter_map(|x| x.problem.clone()).collect();
    ActionAnswer::GetRecipientStatus(RecipientStatusList {
        envelope_id: envelope_id.to_string(),
        current_routing_order: r.current_routing_order,
        recipients: list,
        notes,
        problems,
    })
}

/// Every recipient's tabs from a recipients answer fetched with `include_tabs=true`.
pub(crate) fn tabs_of(r: &Recipients) -> Vec<RecipientTabs> {
    r.all()
        .map(|(kind, x)| RecipientTabs {
            recipient_id: x.recipient_id.clone().unwrap_or_default(),
            role_name: x.role_name.clone(),
            name: x.name.clone(),
            email: x.email.clone(),
            recipient_type: Some(kind.to_string()),
            tabs: x.tabs.clone().unwrap_or_default(),
        })
        .collect()
}

/// The answer of `get_tab_values`.
pub(crate) fn tab_values(envelope_id: &str, r: Vec<RecipientTabs>) -> ActionAnswer {
    // F44: Date Signed values are the user's regional text, never reformatted here.
    let notes = if r
        .iter()
        .any(|x| !x.tabs.collection("dateSignedTabs").is_empty())
    {
        vec![DATE_SIGNED_NOTE.to_string()]
    } else {
        vec![]
    };
    ActionAnswer::GetTabValues {
        envelope_id: envelope_id.to_string(),
        recipients: r,
        notes,
    }
}
