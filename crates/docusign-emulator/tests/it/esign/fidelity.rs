//! Where the emulator now behaves as DocuSign does (issue 10, field cases F38–F50): bearer-token
//! error codes, the short account number (F40), bounced recipients (F43), Date Signed text in the
//! user's regional format (F44), in-person template roles and GUID recipient ids (F48), per-user
//! envelope visibility and `user_filter` (F50), and `GET …/form_data`.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};

use super::*;

/// A second user of ACCOUNT (the test world's USER is the first).
const BOB: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c0b";
const CAROL: &str = "5b7a6c2d-1e3f-4a5b-8c9d-0e1f2a3b4c0c";
const IN_PERSON_TEMPLATE: &str = "3e1c7a10-0000-4000-8000-0000000000f4";
const SIGNER_GUID: &str = "5741ec70-1c2d-4e5f-8a9b-0c1d2e3f4a01";
const CC_GUID: &str = "5741ec70-1c2d-4e5f-8a9b-0c1d2e3f4a02";
const HOST_GUID: &str = "5741ec70-1c2d-4e5f-8a9b-0c1d2e3f4a03";

/// The test world plus Bob and Carol in ACCOUNT; Bob sends envelopes, Carol has account-wide API
/// envelope rights; the account has the number 12345678, an in-person template, and per-user
/// regional settings.
/// Returns the emulator with Ada's token, and Bob's and Carol's tokens.
async fn team_world() -> (Ds, String, String) {
    let mut w = world(true);
    w["token_lifetime_seconds"] = json!(86400);
    let users = w["users"].as_array_mut().unwrap();
    for (id, name, email) in [
        (BOB, "Bob Builder", "bob@example.com"),
        (CAROL, "Carol Admin", "carol@example.com"),
    ] {
        users.push(json!({"user_id": id, "name": name, "email": email, "accounts": [
            {"account_id": ACCOUNT, "account_name": "Ada's Sandbox", "is_default": true, "base_uri": "self"}
        ]}));
    }
    let consents = w["consents"].as_array_mut().unwrap();
    consents.push(json!({"user_id": BOB, "integration_key": IK}));
    consents.push(json!({"user_id": CAROL, "integration_key": IK}));
    w["esignature"] = json!({ ACCOUNT: {
        "account_number": "12345678",
        "users": [
            {"user_id": USER, "date_format": "dd/MM/yyyy | HH:mm", "time_zone": "CET"},
            {"user_id": BOB},
            {"user_id": CAROL, "account_wide_envelope_access": true}
        ],
        "templates": [
            small_template(TEMPLATE),
            {
                "template_id": IN_PERSON_TEMPLATE,
                "name": "Counter agreement",
                "documents": [{"document_id": "1", "name": "Agreement.pdf"}],
                "roles": [
                    {"role_name": "Signer 1", "recipient_id": SIGNER_GUID, "routing_order": 1,
                     "template_required": true,
                     "tabs": [{"type": "dateSigned", "tab_label": "DateSigned1"},
                              {"type": "text", "tab_label": "Address"}]},
                    {"role_name": "Legal Team", "recipient_id": CC_GUID, "recipient_type": "carbonCopy",
                     "routing_order": 2, "name": "Legal", "email": "legal@example.com",
                     "template_locked": true},
                    {"role_name": "Customer", "recipient_id": HOST_GUID,
                     "recipient_type": "inPersonSigner", "routing_order": 3,
                     "tabs": [{"type": "signHere", "tab_label": "CustomerSign"},
                              {"type": "dateSigned", "tab_label": "CustomerDate"}]}
                ]
            }
        ],
        "envelopes": [
            {"envelope_id": "7a0c4e21-3b5d-4f6a-8b9c-0d1e2f3a4b01", "status": "sent",
             "template_id": TEMPLATE, "created": "-2h", "sender_user_id": BOB,
             "recipients": [{"role_name": "Signer 1", "name": "Zed", "email": "zed@example.com"}]},
            {"envelope_id": "7a0c4e21-3b5d-4f6a-8b9c-0d1e2f3a4b02", "status": "sent",
             "template_id": TEMPLATE, "created": "-1h", "sender_user_id": BOB,
             "recipients": [{"role_name": "Signer 1", "name": "Ada", "email": "ada@example.com"}]},
            {"envelope_id": "7a0c4e21-3b5d-4f6a-8b9c-0d1e2f3a4b03", "status": "completed",
             "template_id": TEMPLATE, "created": "2022-11-22T17:00:00Z",
             "completed": "2022-11-22T18:02:07Z", "sender_user_id": USER,
             "recipients": [{"role_name": "Signer 1", "name": "Yan", "email": "yan@example.com",
                             "tabs": [{"type": "text", "tab_label": "Address", "value": "1 Main St"},
                                      {"type": "dateSigned", "tab_label": "Signed"}]}]}
        ]
    }});
    let t = start_world(w).await;
    let ada = t.access_token().await;
    let mut tokens = Vec::new();
    for sub in [BOB, CAROL] {
        let (s, b) = t
            .token(&keys().registered, &t.claims(json!({"sub": sub})))
            .await;
        assert_eq!(s, 200, "{b}");
        tokens.push(b["access_token"].as_str().unwrap().to_owned());
    }
    let carol = tokens.pop().unwrap();
    let bob = tokens.pop().unwrap();
    let ada = Ds {
        t,
        token: ada,
        account: ACCOUNT.to_owned(),
        user: USER.to_owned(),
    };
    (ada, bob, carol)
}

fn listed(v: &Value) -> Vec<String> {
    v["envelopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["envelopeId"].as_str().unwrap().to_owned())
        .collect()
}

/// GET as another user (by token).
async fn get_as(ds: &Ds, token: &str, path: &str) -> Resp {
    ds.send(ds.t.client.get(ds.rest(path)).bearer_auth(token))
        .await
}

const E1: &str = "7a0c4e21-3b5d-4f6a-8b9c-0d1e2f3a4b01";
const E2: &str = "7a0c4e21-3b5d-4f6a-8b9c-0d1e2f3a4b02";
const E3: &str = "7a0c4e21-3b5d-4f6a-8b9c-0d1e2f3a4b03";

#[tokio::test]
async fn bearer_token_never_issued_is_user_authentication_failed() {
    let ds = default_world().await;
    let url = ds.rest("/templates");
    for auth in ["Bearer not-a-token", "bearer eyJhbGciOiJSUzI1NiJ9.e30.x"] {
        ds.send(ds.t.client.get(&url).header("Authorization", auth))
            .await
            .error(401, "USER_AUTHENTICATION_FAILED");
    }
    // no header, another scheme, an empty bearer: PARTNER_AUTHENTICATION_FAILED
    ds.send(ds.t.client.get(&url))
        .await
        .error(401, "PARTNER_AUTHENTICATION_FAILED");
    for auth in ["Basic YTpi", "Bearer ", "not-a-token"] {
        ds.send(ds.t.client.get(&url).header("Authorization", auth))
            .await
            .error(401, "PARTNER_AUTHENTICATION_FAILED");
    }
}

#[tokio::test]
async fn f40_account_number_is_an_alias_of_the_guid() {
    let (ada, _bob, _carol) = team_world().await;
    let base = format!("{}/restapi/v2.1/accounts", ada.t.emu.url());
    let v = ada
        .send(
            ada.t
                .client
                .get(format!("{base}/12345678"))
                .bearer_auth(&ada.token),
        )
        .await;
    let v = v.ok();
    assert_eq!(v["accountIdGuid"], ACCOUNT);
    assert_eq!(v["externalAccountId"], "12345678");
    assert_eq!(v["accountName"], "Ada's Sandbox");
    // REST paths accept the number too
    let t = ada
        .send(
            ada.t
                .client
                .get(format!("{base}/12345678/templates"))
                .bearer_auth(&ada.token),
        )
        .await;
    assert_eq!(t.ok()["resultSetSize"], "2");
    // and the GUID form answers the same account
    assert_eq!(ada.get("").await.ok()["externalAccountId"], "12345678");
    // an unknown number is an account the user does not belong to
    ada.send(
        ada.t
            .client
            .get(format!("{base}/99999999/templates"))
            .bearer_auth(&ada.token),
    )
    .await
    .error(400, "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT");
    // the default world has one as well
    let d = default_world().await;
    let n = docusign_emulator::DEFAULT_ACCOUNT_NUMBER;
    let r = d
        .send(
            d.t.client
                .get(format!("{}/restapi/v2.1/accounts/{n}", d.t.emu.url()))
                .bearer_auth(&d.token),
        )
        .await;
    assert_eq!(r.ok()["accountIdGuid"], d.account);
}

#[tokio::test]
async fn f43_bounce_marks_the_recipient_autoresponded_and_the_envelope_stays_sent() {
    let ds = default_world().await;
    let id = env_id(1);
    let (status, v) = ds
        .recipient_action(
            id,
            "1",
            "bounce",
            json!({"reason": "550 5.1.1 mailbox unavailable"}),
        )
        .await;
    assert_eq!(status, 200, "{v}");
    let s = signers(&ds, id).await;
    assert_eq!(s[0]["status"], "autoresponded");
    assert_eq!(s[0]["autoRespondedReason"], "550 5.1.1 mailbox unavailable");
    let e = ds.get(&format!("/envelopes/{id}")).await;
    assert_eq!(e.ok()["status"], "sent");
    // the listing with recipients shows it too
    let l = ds
        .get(&format!("/envelopes?envelope_ids={id}&include=recipients"))
        .await;
    assert_eq!(
        l.ok()["envelopes"][0]["recipients"]["signers"][0]["status"],
        "autoresponded"
    );
    // only a sent recipient can bounce
    let (status, _) = ds.recipient_action(id, "1", "bounce", json!({})).await;
    assert_eq!(status, 409);
}

/// F43: a bounce is a recipient status change, so the envelope's `statusChangedDateTime` and
/// `lastModifiedDateTime` move to it and listStatusChanges from a date after the envelope was
/// sent but before the bounce lists the envelope (a poller's next cycle sees the bounce;
/// before, only `lastModifiedDateTime` moved and the `changed` qualifier missed it).
#[tokio::test]
async fn f43_a_bounce_moves_the_envelopes_change_times_so_a_poll_lists_it() {
    let ds = default_world().await;
    let id = env_id(1);
    let before = ds.get(&format!("/envelopes/{id}")).await.ok().clone();
    ds.admin_ok("/clock", json!({"advance_seconds": 1200}))
        .await;
    // A poll 20 minutes after the envelope was sent: its server time is the next poll's from_date.
    let poll = ds.get("/envelopes?from_date=2000-01-01").await.ok().clone();
    let cursor = poll["lastQueriedDateTime"].as_str().unwrap().to_string();
    let listed = |v: &Value| {
        v["envelopes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["envelopeId"] == id)
    };
    let quiet = ds.get(&format!("/envelopes?from_date={cursor}")).await;
    assert!(!listed(quiet.ok()), "nothing changed since {cursor}");
    ds.admin_ok("/clock", json!({"advance_seconds": 600})).await;
    let (status, v) = ds
        .recipient_action(id, "1", "bounce", json!({"reason": "550 5.1.1"}))
        .await;
    assert_eq!(status, 200, "{v}");
    let after = ds.get(&format!("/envelopes/{id}")).await.ok().clone();
    assert_eq!(after["status"], "sent");
    assert_ne!(
        after["statusChangedDateTime"],
        before["statusChangedDateTime"]
    );
    assert_eq!(
        after["lastModifiedDateTime"],
        after["statusChangedDateTime"]
    );
    let next = ds
        .get(&format!("/envelopes?from_date={cursor}&include=recipients"))
        .await;
    let next = next.ok();
    assert!(
        listed(next),
        "the bounced envelope is not listed from {cursor}: {next}"
    );
    let e = next["envelopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["envelopeId"] == id)
        .unwrap();
    assert_eq!(e["recipients"]["signers"][0]["status"], "autoresponded");
}

#[tokio::test]
async fn f44_date_signed_is_text_in_the_users_regional_format() {
    let (mut ds, bob, _carol) = team_world().await;
    let ada = ds.token.clone();
    // world-file envelope sent by Ada (dd/MM/yyyy | HH:mm, CET), completed 2022-11-22T18:02:07Z
    let s = signers(&ds, E3).await;
    let tab = find_tab(&s[0], "dateSignedTabs", "Signed").unwrap();
    assert_eq!(tab["value"], "22/11/2022 | 19:02 CET");
    assert_eq!(
        ds.get(&format!("/envelopes/{E3}")).await.ok()["completedDateTime"],
        "2022-11-22T18:02:07.0000000Z"
    );
    assert_eq!(ds.token, ada);
    // signed "now" = 2022-11-22T18:02:00Z, in an envelope Bob sent (his default format:
    // MM/dd/yyyy | hh:mm tt, PST)
    let now = ds.t.get_json("/__emulator/clock").await["now"]
        .as_i64()
        .unwrap();
    ds.advance(1_669_140_120 - now).await;
    ds.token = bob;
    let r = ds
        .post(
            "/envelopes",
            json!({"templateId": IN_PERSON_TEMPLATE, "status": "sent", "templateRoles": [
                {"roleName": "Signer 1", "name": "Zed", "email": "zed@example.com"},
                {"roleName": "Customer", "name": "Bob Builder", "email": "bob@example.com",
                 "inPersonSignerName": "Walk-in Customer"}
            ]}),
        )
        .await;
    let id = r.ok()["envelopeId"].as_str().unwrap().to_owned();
    let (status, v) = ds
        .recipient_action(&id, SIGNER_GUID, "sign", json!({}))
        .await;
    assert_eq!(status, 200, "{v}");
    let s = signers(&ds, &id).await;
    let v = find_tab(&s[0], "dateSignedTabs", "DateSigned1").unwrap()["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(v, "11/22/2022 | 10:02 AM PST");
}

#[tokio::test]
async fn f48_in_person_roles_and_guid_recipient_ids() {
    let (ada, _bob, _carol) = team_world().await;
    let v = ada
        .get(&format!("/templates/{IN_PERSON_TEMPLATE}/recipients"))
        .await;
    let v = v.ok();
    assert_eq!(v["signers"][0]["recipientId"], SIGNER_GUID);
    assert_eq!(v["signers"][0]["templateRequired"], "true");
    assert_eq!(v["carbonCopies"][0]["roleName"], "Legal Team");
    assert_eq!(v["carbonCopies"][0]["templateLocked"], "true");
    let host = &v["inPersonSigners"][0];
    assert_eq!(host["roleName"], "Customer");
    assert_eq!(host["recipientId"], HOST_GUID);
    assert_eq!(host["recipientType"], "inpersonsigner");
    assert_eq!(host["hostName"], "");
    assert_eq!(v["recipientCount"], "3");

    // sending without the in-person signer's name is refused
    let roles = |signer_name: Option<&str>| {
        let mut customer = json!({"roleName": "Customer", "name": "Ada Lovelace",
                                  "email": "ada@example.com"});
        if let Some(n) = signer_name {
            customer["inPersonSignerName"] = json!(n);
        }
        json!({"templateId": IN_PERSON_TEMPLATE, "status": "sent", "templateRoles": [
            {"roleName": "Signer 1", "name": "Zed", "email": "zed@example.com"}, customer
        ]})
    };
    ada.post("/envelopes", roles(None))
        .await
        .error(400, "INVALID_USERNAME_FOR_RECIPIENT");
    let r = ada
        .post("/envelopes", roles(Some("Walk-in Customer")))
        .await;
    let id = r.ok()["envelopeId"].as_str().unwrap().to_owned();
    let rec = ada.get(&format!("/envelopes/{id}/recipients")).await;
    let p = &rec.ok()["inPersonSigners"][0];
    assert_eq!(p["hostName"], "Ada Lovelace");
    assert_eq!(p["hostEmail"], "ada@example.com");
    assert_eq!(p["signerName"], "Walk-in Customer");
    assert_eq!(p["recipientId"], HOST_GUID);
    // tabs by the GUID recipient id
    let tabs = ada
        .get(&format!("/envelopes/{id}/recipients/{HOST_GUID}/tabs"))
        .await;
    assert_eq!(tabs.ok()["signHereTabs"][0]["tabLabel"], "CustomerSign");
}

#[tokio::test]
async fn f50_listing_shows_only_what_the_user_may_see() {
    let (ada, bob, carol) = team_world().await;
    let q = "/envelopes?from_date=2000-01-01";
    // Ada sent E3 and receives E2; Bob's E1 (to Zed) is not hers to see.
    let mut a = listed(ada.get(q).await.ok());
    a.sort();
    assert_eq!(a, vec![E2, E3]);
    ada.get(&format!("/envelopes/{E1}"))
        .await
        .error(400, "ENVELOPE_DOES_NOT_EXIST");
    // Bob sent E1 and E2.
    let mut b = listed(get_as(&ada, &bob, q).await.ok());
    b.sort();
    assert_eq!(b, vec![E1, E2]);
    // Carol has account-wide API envelope rights: everything.
    assert_eq!(listed(get_as(&ada, &carol, q).await.ok()).len(), 3);
    get_as(&ada, &carol, &format!("/envelopes/{E1}")).await.ok();
    // user_filter
    assert_eq!(
        listed(ada.get(&format!("{q}&user_filter=sender")).await.ok()),
        vec![E3]
    );
    assert_eq!(
        listed(ada.get(&format!("{q}&user_filter=recipient")).await.ok()),
        vec![E2]
    );
    assert_eq!(
        listed(
            ada.get(&format!("{q}&user_filter=recipient_only"))
                .await
                .ok()
        ),
        vec![E2]
    );
    assert!(listed(
        get_as(&ada, &carol, &format!("{q}&user_filter=sender"))
            .await
            .ok()
    )
    .is_empty());
    ada.get(&format!("{q}&user_filter=everyone"))
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
}

#[tokio::test]
async fn form_data_answers_the_envelopes_form_data() {
    let ds = default_world().await;
    let id = env_id(3);
    let r = ds.get(&format!("/envelopes/{id}/form_data")).await;
    let v = r.ok();
    assert_eq!(v["envelopeId"], id);
    assert_eq!(v["status"], "completed");
    assert!(is_ds_time(v["sentDateTime"].as_str().unwrap()));
    let items = v["formData"].as_array().unwrap();
    let address = items
        .iter()
        .find(|i| i["name"] == "CustomerAddress")
        .unwrap();
    assert!(!address["value"].as_str().unwrap().is_empty());
    assert!(items.iter().all(|i| i["name"] != "SignHere1"));
    let rec = &v["recipientFormData"][0];
    assert_eq!(rec["recipientId"], "1");
    assert!(is_ds_time(rec["SignedTime"].as_str().unwrap()));
    assert!(rec["formData"].as_array().unwrap().len() >= 5);
    ds.get("/envelopes/7f1a1c8e-0000-4000-8000-000000000000/form_data")
        .await
        .error(400, "ENVELOPE_DOES_NOT_EXIST");
}
