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

impl From<ErrorInfo> for IpcError {
    fn from(info: ErrorInfo) -> Self {
        let (code, message, fix, field) = (info.code, info.message, Some(info.fix), info.field);
        IpcError {
            code,
            message,
            fix,
            field,
        }
    }
}

impl From<ConnectionError> for IpcError {
    fn from(e: ConnectionError) -> Self {
        IpcError::from(e.info())
    }
}

impl From<Problem> for IpcError {
    fn from(p: Problem) -> Self {
        IpcError::from(ErrorInfo::from(p))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn serializes_as_code_message_fix() {
        let e = super::IpcError::from(studio_core::workspace::Problem::internal("x"));
        let v = serde_json::to_value(&e).unwrap_or_default();
        let keys: Vec<&String> = v
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["code", "fix", "message"]);
    }
}
