//! Authentication, get envelope, send from template (F34, F35), void, recipients, tabs, custom
//! fields, envelope templates.
#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;

#[tokio::test]
async fn authentication_errors() {
    let ds = default_world().await;
    let url = ds.rest("/envelopes?from_date=2020-01-01");
    let r = ds.send(ds.t.client.get(&url)).await;
    let msg = r.error(401, "PARTNER_AUTHENTICATION_FAILED");
    assert_eq!(
        msg,
        "The specified Integrator Key was not found or is disabled. An Integrator key was not specified."
    );
    assert!(!r.header("x-ratelimit-limit").is_empty());
    assert!(!r.header("x-docusign-tracetoken").is_empty());
    // a bearer token DocuSign never issued: USER_AUTHENTICATION_FAILED (facts section 5)
    let msg = ds
        .send(ds.t.client.get(&url).bearer_auth("not-a-token"))
        .await
        .error(401, "USER_AUTHENTICATION_FAILED")
        .to_owned();
    assert_eq!(
        msg,
        "One or both of Username and Password are invalid. Invalid access token"
    );
    ds.send(ds.t.client.get(&url).header("Authorization", "Bearer"))
        .await
        .error(401, "PARTNER_AUTHENTICATION_FAILED");
    ds.send(ds.t.client.get(&url).basic_auth("a", Some("b")))
        .await
        .error(401, "PARTNER_AUTHENTICATION_FAILED");

    // an account the user has no membership in
    let other = format!(
        "{}/restapi/v2.1/accounts/00000000-0000-4000-8000-000000000000/envelopes?from_date=2020-01-01",
        ds.t.emu.url()
    );
    let msg = ds
        .send(ds.t.client.get(&other).bearer_auth(&ds.token))
        .await
        .error(400, "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT")
        .to_owned();
    assert!(msg.contains("not a member"), "{msg}");

    // expired token
    ds.advance(3601).await;
    let msg = ds
        .send(ds.t.client.get(&url).bearer_auth(&ds.token))
        .await
        .error(401, "USER_AUTHENTICATION_FAILED")
        .to_owned();
    assert_eq!(
        msg,
        "One or both of Username and Password are invalid. Invalid access token"
    );
}

#[tokio::test]
async fn get_envelope_and_parts() {
    let ds = default_world().await;
    let id = env_id(3);
    let v = ds.get(&format!("/envelopes/{id}")).await.ok().clone();
    assert_eq!(v["envelopeId"], id);
    assert_eq!(v["status"], "completed");
    assert!(is_ds_time(v["completedDateTime"].as_str().unwrap()));
    assert_eq!(v["recipientsUri"], format!("/envelopes/{id}/recipients"));
    assert!(v.get("recipients").is_none(), "only with include");
    let v = ds
        .get(&format!(
            "/envelopes/{id}?include=recipients,custom_fields,documents"
        ))
        .await
        .ok()
        .clone();
    assert_eq!(v["recipients"]["recipientCount"], "2");
    assert_eq!(
        v["customFields"]["textCustomFields"][0]["value"],
        DEFAULT_NDA_TEMPLATE_ID
    );
    assert_eq!(v["envelopeDocuments"][1]["documentId"], "certificate");

    let r = ds
        .get("/envelopes/7f1a1c8e-0000-4000-8000-000000000000")
        .await;
    let msg = r.error(400, "ENVELOPE_DOES_NOT_EXIST");
    assert_eq!(
        msg,
        "The envelope specified either does not exist or you have no rights to it."
    );

    // recipients with tabs
    let r = ds
        .get(&format!("/envelopes/{id}/recipients?include_tabs=true"))
        .await
        .ok()
        .clone();
    let signer = &r["signers"][0];
    assert_eq!(signer["roleName"], "Signer 1");
    assert_eq!(signer["status"], "completed");
    assert_eq!(signer["recipientType"], "signer");
    assert_eq!(
        find_tab(signer, "textTabs", "CustomerAddress").unwrap()["value"],
        "1 Main Street, Springfield"
    );
    assert_eq!(
        find_tab(signer, "checkboxTabs", "AgreeTerms").unwrap()["selected"],
        "true"
    );
    assert_eq!(
        find_tab(signer, "listTabs", "Plan").unwrap()["value"],
        "pro"
    );
    assert_eq!(
        find_tab(signer, "signHereTabs", "SignHere1").unwrap()["status"],
        "signed"
    );
    let r = ds
        .get(&format!("/envelopes/{id}/recipients"))
        .await
        .ok()
        .clone();
    assert!(r["signers"][0].get("tabs").is_none());
    assert_eq!(r["carbonCopies"], json!([]));
    assert_eq!(r["agents"], json!([]));

    // one recipient's tabs
    let tabs = ds
        .get(&format!("/envelopes/{id}/recipients/1/tabs"))
        .await
        .ok()
        .clone();
    assert_eq!(tabs["numberTabs"][0]["tabLabel"], "Amount");
    assert_eq!(tabs["numberTabs"][0]["value"], "25000");
    assert_eq!(tabs["companyTabs"][0]["value"], "Example Corp");
    assert!(
        tabs.get("radioGroupTabs").is_none(),
        "empty collections are left out"
    );
    ds.get(&format!("/envelopes/{id}/recipients/99/tabs"))
        .await
        .error(400, "INVALID_RECIPIENT_ID");

    // custom fields
    let cf = ds
        .get(&format!("/envelopes/{id}/custom_fields"))
        .await
        .ok()
        .clone();
    assert_eq!(cf["textCustomFields"][0]["name"], "templateId");
    assert_eq!(cf["listCustomFields"], json!([]));

    // templates of the envelope
    let t = ds
        .get(&format!("/envelopes/{id}/templates"))
        .await
        .ok()
        .clone();
    assert_eq!(t["templates"][0]["templateId"], DEFAULT_NDA_TEMPLATE_ID);
    assert_eq!(t["templates"][0]["name"], "Mutual NDA");
    let none = ds
        .get(&format!("/envelopes/{}/templates", env_id(8)))
        .await
        .ok()
        .clone();
    assert_eq!(none["templates"], json!([]));
    ds.get("/envelopes/7f1a1c8e-0000-4000-8000-000000000000/templates")
        .await
        .error(400, "ENVELOPE_DOES_NOT_EXIST");
}

#[tokio::test]
async fn send_from_template() {
    let ds = default_world().await;
    let r = ds
        .post(
            "/envelopes",
            nda_body(
                "Signer 1",
                "sent",
                json!({
                    "textTabs": [{"tabLabel": "CustomerAddress", "value": "2 Side Road"}],
                    "numberTabs": [{"tabLabel": "Amount", "value": "42"}],
                    "checkboxTabs": [{"tabLabel": "AgreeTerms", "selected": "true"}],
                    "listTabs": [{"tabLabel": "Plan", "value": "enterprise"}],
                    "companyTabs": [{"tabLabel": "Company", "value": "ACME"}]
                }),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json["envelopeId"].as_str().unwrap().to_owned();
    assert_eq!(r.json["status"], "sent");
    assert_eq!(r.json["uri"], format!("/envelopes/{id}"));
    assert!(is_ds_time(r.json["statusDateTime"].as_str().unwrap()));

    let s = signers(&ds, &id).await;
    assert_eq!(s.len(), 2);
    assert_eq!(s[0]["name"], "Test Person");
    assert_eq!(s[0]["status"], "sent");
    assert_eq!(s[1]["roleName"], "Company Signer");
    assert_eq!(s[1]["status"], "created", "routing order 2 waits");
    assert_eq!(
        find_tab(&s[0], "textTabs", "CustomerAddress").unwrap()["value"],
        "2 Side Road"
    );
    assert_eq!(
        find_tab(&s[0], "numberTabs", "Amount").unwrap()["value"],
        "42"
    );
    assert_eq!(
        find_tab(&s[0], "checkboxTabs", "AgreeTerms").unwrap()["selected"],
        "true"
    );
    assert_eq!(
        find_tab(&s[0], "listTabs", "Plan").unwrap()["value"],
        "enterprise"
    );
    assert_eq!(
        find_tab(&s[0], "companyTabs", "Company").unwrap()["value"],
        "ACME"
    );

    let env = ds
        .get(&format!("/envelopes/{id}?include=custom_fields,documents"))
        .await
        .ok()
        .clone();
    assert_eq!(env["emailSubject"], "Test NDA");
    assert_eq!(
        env["customFields"]["textCustomFields"][0]["value"],
        DEFAULT_NDA_TEMPLATE_ID
    );
    assert_eq!(env["envelopeDocuments"][0]["name"], "Mutual NDA.pdf");
    assert_eq!(env["sender"]["userId"], ds.user.as_str());

    // a draft
    let r = ds
        .post("/envelopes", nda_body("Signer 1", "created", json!({})))
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json["status"], "created");
    let s = signers(&ds, r.json["envelopeId"].as_str().unwrap()).await;
    assert_eq!(s[0]["status"], "created");

    // extra custom field from the request is merged
    let mut body = nda_body("Signer 1", "sent", json!({}));
    body["customFields"] =
        json!({"textCustomFields": [{"name": "Source", "value": "test", "show": "false"}]});
    let r = ds.post("/envelopes", body).await;
    let cf = ds
        .get(&format!(
            "/envelopes/{}/custom_fields",
            r.json["envelopeId"].as_str().unwrap()
        ))
        .await
        .ok()
        .clone();
    assert_eq!(cf["textCustomFields"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn send_errors() {
    let ds = default_world().await;
    let mut body = nda_body("Signer 1", "sent", json!({}));
    body["templateId"] = json!("0b0b0b0b-0000-4000-8000-000000000000");
    ds.post("/envelopes", body)
        .await
        .error(400, "TEMPLATE_ID_INVALID");
    ds.post("/envelopes", nda_body("Signer 1", "completed", json!({})))
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
    let r = ds
        .send(
            ds.t.client
                .post(ds.rest("/envelopes"))
                .bearer_auth(&ds.token)
                .header("content-type", "application/json")
                .body("{\"status\": \"sent\","),
        )
        .await;
    let msg = r.error(400, "INVALID_REQUEST_BODY");
    assert_eq!(msg, "The request body is missing or improperly formatted.");
    let r = ds
        .send(
            ds.t.client
                .post(ds.rest("/envelopes"))
                .bearer_auth(&ds.token),
        )
        .await;
    r.error(400, "INVALID_REQUEST_BODY");
    let mut body = nda_body("Signer 1", "sent", json!({}));
    body["templateRoles"][0]["email"] = json!("not-an-email");
    ds.post("/envelopes", body)
        .await
        .error(400, "INVALID_EMAIL_ADDRESS_FOR_RECIPIENT");
    let mut body = nda_body("Signer 1", "sent", json!({}));
    body["templateRoles"] = json!("Signer 1");
    ds.post("/envelopes", body)
        .await
        .error(400, "INVALID_REQUEST_BODY");
}

#[tokio::test]
async fn role_name_mismatch_adds_a_signer_f34() {
    let ds = default_world().await;
    for wrong in ["signer 1", "Signer1", "Signer 1 "] {
        let r = ds
            .post(
                "/envelopes",
                nda_body(
                    wrong,
                    "sent",
                    json!({"textTabs": [{"tabLabel": "CustomerAddress", "value": "x"}]}),
                ),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let s = signers(&ds, r.json["envelopeId"].as_str().unwrap()).await;
        // the placeholder "Signer 1" was not filled (removed); the fixed Company Signer stays;
        // the request's person became an extra signer without the template's tabs
        let roles: Vec<&str> = s.iter().map(|x| x["roleName"].as_str().unwrap()).collect();
        assert_eq!(roles, vec!["Company Signer", wrong], "{wrong:?}");
        assert_eq!(s[1]["name"], "Test Person");
        assert_eq!(s[1]["routingOrder"], "1");
        assert!(s[1]["tabs"].as_object().unwrap().is_empty());
        assert_eq!(s[1]["status"], "sent");
    }
    // a fixed role sent with another person: an extra recipient, the fixed one stays
    let r = ds
        .post(
            "/envelopes",
            json!({
                "templateId": DEFAULT_NDA_TEMPLATE_ID, "status": "sent",
                "templateRoles": [
                    {"roleName": "Signer 1", "name": "A", "email": "a@example.com"},
                    {"roleName": "Company Signer", "name": "Someone Else", "email": "else@example.com"}
                ]
            }),
        )
        .await;
    let s = signers(&ds, r.json["envelopeId"].as_str().unwrap()).await;
    assert_eq!(s.len(), 3);
    assert_eq!(s[1]["name"], "Casey Counsel");
    assert_eq!(s[2]["name"], "Someone Else");
    // the fixed role with its own person matches (and takes tab values)
    let r = ds
        .post(
            "/envelopes",
            json!({
                "templateId": DEFAULT_NDA_TEMPLATE_ID, "status": "sent",
                "templateRoles": [
                    {"roleName": "Signer 1", "name": "A", "email": "a@example.com"},
                    {"roleName": "Company Signer", "name": "Casey Counsel", "email": "LEGAL@example.com",
                     "tabs": {"textTabs": [{"tabLabel": "CompanyTitle", "value": "CEO"}]}}
                ]
            }),
        )
        .await;
    let s = signers(&ds, r.json["envelopeId"].as_str().unwrap()).await;
    assert_eq!(s.len(), 2);
    assert_eq!(
        find_tab(&s[1], "textTabs", "CompanyTitle").unwrap()["value"],
        "CEO"
    );
    // a routingOrder different from the role's does not match either
    let mut body = nda_body("Signer 1", "sent", json!({}));
    body["templateRoles"][0]["routingOrder"] = json!("3");
    let r = ds.post("/envelopes", body).await;
    let s = signers(&ds, r.json["envelopeId"].as_str().unwrap()).await;
    assert_eq!(s.iter().filter(|x| x["roleName"] == "Signer 1").count(), 1);
    assert_eq!(s.last().unwrap()["routingOrder"], "3");
}

#[tokio::test]
async fn tab_values_need_exact_label_and_type_f35() {
    let ds = default_world().await;
    let r = ds
        .post(
            "/envelopes",
            nda_body(
                "Signer 1",
                "sent",
                json!({
                    "textTabs": [
                        {"tabLabel": "customeraddress", "value": "lower case"},
                        {"tabLabel": "Company", "value": "text tab for a company tab"}
                    ],
                    "numberTabs": [{"tabLabel": "Amount ", "value": "1"}],
                    "textboxTabs": [{"tabLabel": "StartDate", "value": "2026-01-01"}]
                }),
            ),
        )
        .await;
    assert_eq!(r.status, 201);
    let s = signers(&ds, r.json["envelopeId"].as_str().unwrap()).await;
    assert_eq!(
        find_tab(&s[0], "textTabs", "CustomerAddress").unwrap()["value"],
        ""
    );
    assert_eq!(
        find_tab(&s[0], "companyTabs", "Company").unwrap()["value"],
        ""
    );
    assert_eq!(
        find_tab(&s[0], "numberTabs", "Amount").unwrap()["value"],
        ""
    );
    assert_eq!(
        find_tab(&s[0], "dateTabs", "StartDate").unwrap()["value"],
        ""
    );
    assert!(find_tab(&s[0], "textTabs", "customeraddress").is_none());
}

#[tokio::test]
async fn void_rules() {
    let ds = default_world().await;
    // sent → voided
    let sent = env_id(1);
    let r = ds
        .put(
            &format!("/envelopes/{sent}"),
            json!({"status": "voided", "voidedReason": "changed my mind"}),
        )
        .await;
    assert_eq!(r.ok(), &json!({"envelopeId": sent}));
    let v = ds.get(&format!("/envelopes/{sent}")).await.ok().clone();
    assert_eq!(v["status"], "voided");
    assert_eq!(v["voidedReason"], "changed my mind");
    assert!(is_ds_time(v["voidedDateTime"].as_str().unwrap()));
    // delivered → voided
    ds.put(
        &format!("/envelopes/{}", env_id(2)),
        json!({"status": "voided", "voidedReason": "x"}),
    )
    .await
    .ok();
    // voided, draft, completed, declined: refused
    for i in [1, 0, 3, 7] {
        let r = ds
            .put(
                &format!("/envelopes/{}", env_id(i)),
                json!({"status": "voided", "voidedReason": "x"}),
            )
            .await;
        let msg = r.error(400, "ENVELOPE_CANNOT_VOID_INVALID_STATE");
        assert_eq!(
            msg,
            "Only envelopes in the 'Sent' or 'Delivered' states may be voided."
        );
    }
    // a reason is required
    ds.put(
        &format!("/envelopes/{}", env_id(5)),
        json!({"status": "voided"}),
    )
    .await
    .error(400, "INVALID_REQUEST_PARAMETER");
    ds.put(
        &format!("/envelopes/{}", env_id(5)),
        json!({"status": "voided", "voidedReason": "  "}),
    )
    .await
    .error(400, "INVALID_REQUEST_PARAMETER");
    ds.put(
        "/envelopes/7f1a1c8e-0000-4000-8000-000000000000",
        json!({"status": "voided", "voidedReason": "x"}),
    )
    .await
    .error(400, "ENVELOPE_DOES_NOT_EXIST");
    ds.put(
        &format!("/envelopes/{}", env_id(5)),
        json!({"status": "completed"}),
    )
    .await
    .error(400, "INVALID_REQUEST_PARAMETER");
    // a draft can be sent with PUT status=sent
    let r = ds
        .put(
            &format!("/envelopes/{}", env_id(0)),
            json!({"status": "sent"}),
        )
        .await;
    r.ok();
    let v = ds
        .get(&format!("/envelopes/{}", env_id(0)))
        .await
        .ok()
        .clone();
    assert_eq!(v["status"], "sent");
}
