//! The one error shape that crosses IPC: a [`Problem`] (`{code, detail, message, fix}`, plus
//! the wizard field it is about, when there is one). The UI shows `message` and `fix` as they
//! are.

use serde::Serialize;
use studio_core::connections::ConnectionError;
use studio_core::problem::{AsProblem, Problem};

/// A command's error, as the UI receives it: the core's [`Problem`], every field kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// Code, detail, message, fix and field.
    #[serde(flatten)]
    pub problem: Problem,
}

impl From<Problem> for IpcError {
    fn from(problem: Problem) -> Self {
        IpcError { problem }
    }
}

impl From<ConnectionError> for IpcError {
    fn from(e: ConnectionError) -> Self {
        IpcError::from(e.problem())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn serializes_as_code_message_fix() {
        let e = super::IpcError::from(studio_core::problem::Problem::internal("x"));
        let v = serde_json::to_value(&e).unwrap_or_default();
        let keys: Vec<&String> = v
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["code", "detail", "fix", "message"]);
    }

    #[test]
    fn keeps_the_detail_and_the_field() {
        use studio_core::problem::AsProblem;
        let e = studio_core::connections::ConnectionError::InvalidName {
            name: "a/b".into(),
            reason: "no slashes".into(),
        };
        let v = serde_json::to_value(super::IpcError::from(e.problem())).unwrap_or_default();
        assert_eq!(v["code"], "invalid_name");
        assert_eq!(v["field"], "name");
    }
}
