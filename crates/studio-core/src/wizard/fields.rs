//! One entry for the wizard's checks as typed: which check a field takes, given the other
//! values that change its verdict (the desktop app's `check_field`).

use serde::Deserialize;

use super::{
    check_account_id, check_base_uri, check_connection_name, check_connection_name_among,
    check_integration_key, check_redirect_uri, check_user_id, FieldCheck,
};
use crate::connections::Environment;

/// A field the wizard checks as the person types (snake_case on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The connection's name.
    Name,
    /// The integration key.
    IntegrationKey,
    /// The redirect URI.
    RedirectUri,
    /// The user ID.
    UserId,
    /// The account ID.
    AccountId,
    /// The base URI.
    BaseUri,
}

/// The other values that change a field's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldContext {
    /// The connection's environment (the base URI must belong to it).
    pub environment: Environment,
    /// For the user ID: the account ID, to warn when the two are the same (empty: none).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub account_id: Option<String>,
    /// For the account ID: the user ID, likewise.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub user_id: Option<String>,
    /// For the name: the saved name of the connection being edited, which may keep its name
    /// (absent for a new connection).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub editing: Option<String>,
}

/// Checks `value` as typed in `field`, with the names of the saved connections (`saved`): a
/// name one of them has is taken, except the edited connection's own (`context.editing`).
pub fn check_field_among(
    field: Field,
    value: &str,
    context: &FieldContext,
    saved: &[String],
) -> FieldCheck {
    match field {
        Field::Name => check_connection_name_among(value, saved, context.editing.as_deref()),
        _ => check_field(field, value, context),
    }
}

/// Checks `value` as typed in `field` (a name only for its form: see [`check_field_among`]).
pub fn check_field(field: Field, value: &str, context: &FieldContext) -> FieldCheck {
    fn other(v: &Option<String>) -> Option<&str> {
        v.as_deref().filter(|v| !v.is_empty())
    }
    match field {
        Field::Name => check_connection_name(value),
        Field::IntegrationKey => check_integration_key(value),
        Field::RedirectUri => check_redirect_uri(value),
        Field::UserId => check_user_id(value, other(&context.account_id)),
        Field::AccountId => check_account_id(value, other(&context.user_id)),
        Field::BaseUri => check_base_uri(value, context.environment),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The UI's arguments (`{field, value, context}`) reach the field's own check, with the
    /// other values that matter to it and an empty one taken as none.
    #[test]
    fn each_field_takes_its_own_check() {
        let id = "0a1b2c3d-1111-2222-3333-444455556666";
        let ctx = |v: serde_json::Value| serde_json::from_value::<FieldContext>(v).unwrap();
        let same = ctx(serde_json::json!({"environment": "demo", "account_id": id, "user_id": id}));
        let empty =
            ctx(serde_json::json!({"environment": "demo", "account_id": "", "user_id": ""}));
        let field = |f: &str| serde_json::from_value::<Field>(serde_json::json!(f)).unwrap();
        let cases: [(&str, &str, FieldCheck); 4] = [
            ("name", "My app", check_connection_name("My app")),
            ("integration_key", id, check_integration_key(id)),
            (
                "redirect_uri",
                "https://x.example/cb",
                check_redirect_uri("https://x.example/cb"),
            ),
            ("user_id", id, check_user_id(id, Some(id))),
        ];
        for (name, value, expected) in cases {
            assert_eq!(check_field(field(name), value, &same), expected, "{name}");
        }
        assert_eq!(
            check_field(field("account_id"), id, &same),
            check_account_id(id, Some(id))
        );
        assert_eq!(
            check_field(field("account_id"), id, &empty),
            check_account_id(id, None)
        );
        let uri = "https://www.docusign.net";
        let production = Environment::Production;
        assert_eq!(
            check_field(field("base_uri"), uri, &same),
            check_base_uri(uri, Environment::Demo)
        );
        assert_ne!(
            check_field(field("base_uri"), uri, &same),
            check_base_uri(uri, production)
        );
        assert!(serde_json::from_value::<Field>(serde_json::json!("private_key")).is_err());
    }
}
