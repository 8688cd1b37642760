//! The one error shape that crosses IPC: `{code, message, fix}` (plus the wizard field it is
//! about, when there is one). The UI shows `message` and `fix` as they are.

use serde::Serialize;
use studio_core::connections::{ConnectionError, ErrorInfo};
use studio_core::workspace::Problem;

/// A command's error, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// Stable machine code (`not_found`, `keyring_unavailable`, `key_invalid`, …).
    pub code: String,
    /// What happened, in plain words.
    pub message: String,
    /// What to do about it.
    pub fix: Option<String>,
    /// The wizard field it is about, when one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IpcError {
    /// An error with a code, message and fix.
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        IpcError {
            code: code.into(),
            message: message.into(),
            fix: Some(fix.into()),
            field: None,
        }
    }

    /// The shell itself failed (a task panicked, a lock was poisoned): not the user's doing.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        IpcError::new(
            "internal",
            format!("The app hit an internal error: {what}."),
            "Try again. If it keeps happening, restart the app.",
        )
    }
}

impl From<ConnectionError> for IpcError {
    fn from(e: ConnectionError) -> Self {
        IpcError::from(e.info())
    }
}

impl From<ErrorInfo> for IpcError {
    fn from(info: ErrorInfo) -> Self {
        IpcError {
            code: info.code,
            message: info.message,
            fix: Some(info.fix),
            field: info.field,
        }
    }
}

impl From<Problem> for IpcError {
    fn from(p: Problem) -> Self {
        IpcError::from(ErrorInfo::from(p))
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for IpcError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_message_fix() {
        let e = IpcError::new("not_found", "No such connection.", "Create it first.");
        let v = serde_json::to_value(&e).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!({"code": "not_found", "message": "No such connection.", "fix": "Create it first."})
        );
    }
}
