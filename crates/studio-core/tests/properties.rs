//! Property tests (proptest) on the Studio's own input checks: every action's inputs (IDs,
//! dates, statuses, folder names, document IDs, recipient IDs, roles and tabs) checked before any
//! call, and the connection form's fields. None may panic or hang, whatever is typed; what they
//! accept keeps the promised shape. Run like docusign-api's (see `scripts/fuzz.sh`).
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../docusign-api/tests/fuzz/mod.rs"]
mod fuzz;

use proptest::prelude::*;
use serde_json::json;
use studio_core::actions::ActionRequest;

/// What a person might type in a field: dates in many shapes, GUIDs (good, braced, broken),
/// numbers, names, and anything at all.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{0,9})?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?",
        "[{\"' ]{0,2}[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[}\"' ]{0,2}",
        "[0-9a-fA-F-]{0,40}",
        "[0-9]{0,40}",
        "(any|sent|completed|voided|Sent, Completed|inbox|drafts|sentitems|recyclebin|sender|recipient|combined|archive|certificate|portfolio)[ ,]{0,2}",
        "\\PC{0,30}",
        any::<String>(),
    ]
}

fn maybe() -> impl Strategy<Value = Option<String>> {
    prop::option::of(typed())
}

fn action() -> impl Strategy<Value = serde_json::Value> {
    let role = (typed(), typed(), typed(), maybe()).prop_map(
        |(r, n, e, p)| json!({"role_name": r, "name": n, "email": e, "in_person_signer_name": p}),
    );
    let tab = (typed(), typed(), typed())
        .prop_map(|(r, l, v)| json!({"role_name": r, "tab_label": l, "value": v}));
    prop_oneof![
        (maybe(), maybe(), maybe(), maybe(), maybe(), maybe()).prop_map(|(f, t, s, d, tid, u)| json!({
            "action": "list_envelopes", "from_date": f, "to_date": t, "status": s,
            "folder_id": d, "template_id": tid, "user_filter": u
        })),
        typed().prop_map(|e| json!({"action": "get_envelope", "envelope_id": e})),
        (typed(), typed(), "[a-zA-Z0-9 ._/-]{1,40}", prop::option::of(any::<bool>())).prop_map(
            |(e, d, out, c)| json!({
                "action": "download_document", "envelope_id": e, "document_id": d,
                "out": format!("/nonexistent-dsjwt-fuzz/{out}"), "certificate": c
            })
        ),
        (
            typed(),
            prop::collection::vec(role, 0..3),
            prop::collection::vec(tab, 0..3),
            maybe(),
            maybe(),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(t, roles, tabs, subject, message, draft, preview)| json!({
                "action": if preview { "preview_envelope_from_template" } else { "send_envelope_from_template" },
                "template_id": t, "roles": roles, "tabs": tabs, "subject": subject,
                "message": message, "draft": draft
            })),
        (typed(), typed())
            .prop_map(|(e, r)| json!({"action": "void_envelope", "envelope_id": e, "reason": r})),
        typed().prop_map(|e| json!({"action": "get_recipient_status", "envelope_id": e})),
        Just(json!({"action": "list_templates"})),
        typed().prop_map(|t| json!({"action": "get_template_roles", "template_id": t})),
        (typed(), maybe()).prop_map(|(e, r)| json!({
            "action": "get_tab_values", "envelope_id": e, "recipient_id": r
        })),
    ]
}

#[test]
fn action_inputs() {
    fuzz::run(
        concat!(module_path!(), "::action_inputs"),
        action(),
        |value| {
            let Ok(request) = serde_json::from_value::<ActionRequest>(value) else {
                return Ok(());
            };
            match request.checked() {
                // What passes the check passes it again unchanged (it is already normalised).
                Ok(checked) => {
                    let again = checked.checked();
                    prop_assert!(again.is_ok(), "{checked:?} -> {again:?}");
                    prop_assert_eq!(again.unwrap(), checked);
                }
                Err(failure) => {
                    prop_assert!(serde_json::to_string(&failure).is_ok());
                }
            }
            Ok(())
        },
    );
}

#[test]
fn document_ids() {
    fuzz::run(concat!(module_path!(), "::document_ids"), typed(), |s| {
        if let Ok(id) = studio_core::actions::parse_document_id(&s) {
            prop_assert_eq!(
                studio_core::actions::parse_document_id(&id.as_segment()),
                Ok(id)
            );
        }
        Ok(())
    });
}
