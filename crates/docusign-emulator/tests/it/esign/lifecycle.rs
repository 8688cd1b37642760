//! The admin lifecycle: deliver, sign (with tab values), decline; routing order; completion;
//! statusChangedDateTime; polling with from_date picks the change up.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::*;

async fn status_changed(ds: &Ds, id: &str) -> String {
    ds.get(&format!("/envelopes/{id}")).await.ok()["statusChangedDateTime"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn sign_everyone_then_completed() {
    let ds = default_world().await;
    ds.relax_limits().await;
    let r = ds
        .post("/envelopes", nda_body("Signer 1", "sent", json!({})))
        .await;
    let id = r.json["envelopeId"].as_str().unwrap().to_owned();
    let t0 = status_changed(&ds, &id).await;

    // the company signer (routing order 2) cannot act yet
    let (status, body) = ds.recipient_action(&id, "2", "sign", json!({})).await;
    assert_eq!(status, 409, "{body}");

    ds.advance(60).await;
    let v = ds.recipient_action(&id, "1", "deliver", json!({})).await;
    assert_eq!(v.0, 200, "{}", v.1);
    assert_eq!(v.1["status"], "delivered");
    let t1 = status_changed(&ds, &id).await;
    assert!(t1 > t0, "{t1} > {t0}");
    let s = signers(&ds, &id).await;
    assert_eq!(s[0]["status"], "delivered");
    assert!(is_ds_time(s[0]["deliveredDateTime"].as_str().unwrap()));

    ds.advance(60).await;
    let before_sign = ds.t.get_json("/__emulator/clock").await["now"]
        .as_i64()
        .unwrap();
    let (status, v) = ds
        .recipient_action(
            &id,
            "1",
            "sign",
            json!({"tabs": {"Amount": "42", "AgreeTerms": true, "Plan": "basic"}}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        v["status"], "delivered",
        "the company signer is still to sign"
    );
    let s = signers(&ds, &id).await;
    assert_eq!(s[0]["status"], "completed");
    assert!(is_ds_time(s[0]["signedDateTime"].as_str().unwrap()));
    assert_eq!(s[1]["status"], "sent", "routing order 2 is next");
    assert_eq!(
        find_tab(&s[0], "numberTabs", "Amount").unwrap()["value"],
        "42"
    );
    assert_eq!(
        find_tab(&s[0], "checkboxTabs", "AgreeTerms").unwrap()["selected"],
        "true"
    );
    assert_eq!(
        find_tab(&s[0], "fullNameTabs", "FullName1").unwrap()["value"],
        "Test Person"
    );
    assert_eq!(
        find_tab(&s[0], "signHereTabs", "SignHere1").unwrap()["status"],
        "signed"
    );
    let recips = ds
        .get(&format!("/envelopes/{id}/recipients"))
        .await
        .ok()
        .clone();
    assert_eq!(recips["currentRoutingOrder"], "2");

    // unknown tab label, unknown recipient, wrong action
    let (status, _) = ds
        .recipient_action(&id, "2", "sign", json!({"tabs": {"Nope": "1"}}))
        .await;
    assert_eq!(status, 409);
    let (status, _) = ds.recipient_action(&id, "9", "sign", json!({})).await;
    assert_eq!(status, 409);
    let (status, _) = ds.recipient_action(&id, "2", "approve", json!({})).await;
    assert_eq!(status, 404);

    ds.advance(60).await;
    let (status, v) = ds.recipient_action(&id, "2", "sign", json!({})).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "completed");
    let env = ds.get(&format!("/envelopes/{id}")).await.ok().clone();
    assert_eq!(env["status"], "completed");
    assert!(is_ds_time(env["completedDateTime"].as_str().unwrap()));
    let t3 = env["statusChangedDateTime"].as_str().unwrap().to_owned();
    assert!(t3 > t1);

    // a poll with from_date just before the signature finds it, completed
    let from = before_sign + 1;
    let list = ds
        .get(&format!("/envelopes?from_date={}", iso(from)))
        .await
        .ok()
        .clone();
    let found: Vec<&Value> = list["envelopes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["envelopeId"] == id.as_str())
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["status"], "completed");
    let later = ds
        .get(&format!("/envelopes?from_date={}", iso(from + 3600)))
        .await
        .ok()
        .clone();
    assert_eq!(later["resultSetSize"], "0");
    // a completed envelope cannot be signed again or voided
    let (status, _) = ds.recipient_action(&id, "2", "sign", json!({})).await;
    assert_eq!(status, 409);
    ds.put(
        &format!("/envelopes/{id}"),
        json!({"status": "voided", "voidedReason": "x"}),
    )
    .await
    .error(400, "ENVELOPE_CANNOT_VOID_INVALID_STATE");
}

/// Unix seconds → `2026-01-01T00:00:00Z`.
fn iso(secs: i64) -> String {
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    // civil-from-days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[tokio::test]
async fn carbon_copy_and_decline() {
    let ds = default_world().await;
    ds.relax_limits().await;
    // Offer Letter: Candidate signs, HR (carbon copy, routing 2) completes on its own
    let r = ds
        .post(
            "/envelopes",
            json!({"templateId": DEFAULT_OFFER_TEMPLATE_ID, "status": "sent",
                   "templateRoles": [{"roleName": "Candidate", "name": "C", "email": "c@example.com"}]}),
        )
        .await;
    let id = r.json["envelopeId"].as_str().unwrap().to_owned();
    let recips = ds
        .get(&format!("/envelopes/{id}/recipients"))
        .await
        .ok()
        .clone();
    assert_eq!(recips["carbonCopies"][0]["status"], "created");
    let (status, v) = ds
        .recipient_action(&id, "1", "sign", json!({"tabs": {"Relocation": "yes"}}))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "completed");
    let recips = ds
        .get(&format!("/envelopes/{id}/recipients?include_tabs=true"))
        .await
        .ok()
        .clone();
    assert_eq!(recips["carbonCopies"][0]["status"], "completed");
    let radio = &recips["signers"][0]["tabs"]["radioGroupTabs"][0];
    assert_eq!(radio["value"], "yes");
    assert_eq!(radio["radios"][0]["selected"], "true");
    // a carbon copy cannot sign
    let (status, _) = ds.recipient_action(&id, "2", "sign", json!({})).await;
    assert_eq!(status, 409);

    // decline
    let (status, v) = ds
        .recipient_action(
            env_id(5),
            "1",
            "decline",
            json!({"reason": "Found another job"}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "declined");
    let env = ds
        .get(&format!("/envelopes/{}?include=recipients", env_id(5)))
        .await
        .ok()
        .clone();
    assert_eq!(env["status"], "declined");
    assert!(is_ds_time(env["declinedDateTime"].as_str().unwrap()));
    assert_eq!(
        env["recipients"]["signers"][0]["declinedReason"],
        "Found another job"
    );
    // deliver on a declined envelope is refused; unknown envelope / account give 404
    let (status, _) = ds
        .recipient_action(env_id(5), "1", "deliver", json!({}))
        .await;
    assert_eq!(status, 409);
    let (status, _) = ds
        .recipient_action(
            "7f1a1c8e-0000-4000-8000-000000000000",
            "1",
            "deliver",
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = ds
        .admin(
            "/accounts/00000000-0000-4000-8000-000000000000/envelopes/bulk",
            json!({"count": 1}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = ds
        .recipient_action(env_id(1), "1", "sign", json!({"reason": "x"}))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn bulk_statuses() {
    let ds = world_with(json!({"templates": [small_template(TEMPLATE)]})).await;
    for status in [
        "created",
        "sent",
        "delivered",
        "completed",
        "declined",
        "voided",
    ] {
        let v = ds
            .bulk(json!({"count": 3, "template_id": TEMPLATE, "status": status, "email_subject": status}))
            .await;
        let id = v["envelope_ids"][0].as_str().unwrap();
        let env = ds.get(&format!("/envelopes/{id}")).await.ok().clone();
        assert_eq!(env["status"], status);
        assert_eq!(env["emailSubject"], format!("{status} 1"));
    }
    let (status, _) = ds
        .admin(
            &format!("/accounts/{ACCOUNT}/envelopes/bulk"),
            json!({"count": 0}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = ds
        .admin(
            &format!("/accounts/{ACCOUNT}/envelopes/bulk"),
            json!({"count": 1, "status": "signed"}),
        )
        .await;
    assert_eq!(status, 400);
}
