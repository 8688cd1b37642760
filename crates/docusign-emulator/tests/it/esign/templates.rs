//! Templates: list (paging, search), get (include), roles with tabs.
#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;

#[tokio::test]
async fn list_templates() {
    let ds = default_world().await;
    let v = ds.get("/templates").await.ok().clone();
    assert_eq!(v["totalSetSize"], "2");
    assert_eq!(v["resultSetSize"], "2");
    let names: Vec<&str> = v["envelopeTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Mutual NDA", "Offer Letter"]);
    let nda = &v["envelopeTemplates"][0];
    assert_eq!(nda["templateId"], DEFAULT_NDA_TEMPLATE_ID);
    assert_eq!(nda["uri"], format!("/templates/{DEFAULT_NDA_TEMPLATE_ID}"));
    assert_eq!(nda["shared"], "true");
    assert_eq!(nda["pageCount"], "2");
    assert!(is_ds_time(nda["created"].as_str().unwrap()));
    assert!(nda.get("recipients").is_none());

    // paging
    let p1 = ds.get("/templates?count=1").await.ok().clone();
    assert_eq!(p1["resultSetSize"], "1");
    assert_eq!(p1["totalSetSize"], "2");
    let next = p1["nextUri"].as_str().unwrap();
    assert!(next.starts_with("/templates?"), "{next}");
    let p2 = ds.get(next).await.ok().clone();
    assert_eq!(p2["envelopeTemplates"][0]["name"], "Offer Letter");
    assert_eq!(p2["startPosition"], "1");
    assert_eq!(p2["nextUri"], "");
    assert!(!p2["previousUri"].as_str().unwrap().is_empty());

    // search and include
    let s = ds
        .get("/templates?search_text=offer&include=recipients,documents,custom_fields")
        .await
        .ok()
        .clone();
    assert_eq!(s["totalSetSize"], "1");
    let offer = &s["envelopeTemplates"][0];
    assert_eq!(offer["recipients"]["signers"][0]["roleName"], "Candidate");
    assert_eq!(offer["recipients"]["carbonCopies"][0]["roleName"], "HR");
    assert_eq!(offer["documents"][0]["name"], "Offer Letter.pdf");
    assert_eq!(
        offer["customFields"]["textCustomFields"][0]["value"],
        DEFAULT_OFFER_TEMPLATE_ID
    );
    let desc = ds.get("/templates?order=desc").await.ok().clone();
    assert_eq!(desc["envelopeTemplates"][0]["name"], "Offer Letter");
    ds.get("/templates?order_by=size")
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
}

#[tokio::test]
async fn get_template_and_roles() {
    let ds = default_world().await;
    let t = ds
        .get(&format!("/templates/{DEFAULT_NDA_TEMPLATE_ID}"))
        .await
        .ok()
        .clone();
    assert_eq!(t["name"], "Mutual NDA");
    let signers = t["recipients"]["signers"].as_array().unwrap();
    assert_eq!(signers[0]["roleName"], "Signer 1");
    assert_eq!(signers[0]["name"], "", "placeholder role");
    assert_eq!(signers[0]["email"], "");
    assert_eq!(signers[1]["roleName"], "Company Signer");
    assert_eq!(signers[1]["email"], "legal@example.com", "fixed role");
    assert!(signers[0].get("tabs").is_none());
    assert!(signers[0].get("status").is_none());
    let t = ds
        .get(&format!(
            "/templates/{DEFAULT_NDA_TEMPLATE_ID}?include=tabs"
        ))
        .await
        .ok()
        .clone();
    let tabs = &t["recipients"]["signers"][0]["tabs"];
    assert_eq!(tabs["textTabs"][0]["tabLabel"], "CustomerAddress");
    assert_eq!(tabs["companyTabs"][0]["tabLabel"], "Company");

    let r = ds
        .get(&format!(
            "/templates/{DEFAULT_OFFER_TEMPLATE_ID}/recipients?include_tabs=true"
        ))
        .await
        .ok()
        .clone();
    assert_eq!(r["recipientCount"], "2");
    let cand = &r["signers"][0];
    assert_eq!(cand["routingOrder"], "1");
    assert_eq!(cand["tabs"]["radioGroupTabs"][0]["groupName"], "Relocation");
    assert_eq!(
        cand["tabs"]["radioGroupTabs"][0]["radios"][1]["value"],
        "no"
    );
    assert_eq!(cand["tabs"]["textTabs"][0]["locked"], "true");
    assert_eq!(r["carbonCopies"][0]["recipientType"], "carboncopy");
    let r = ds
        .get(&format!(
            "/templates/{DEFAULT_OFFER_TEMPLATE_ID}/recipients"
        ))
        .await
        .ok()
        .clone();
    assert!(r["signers"][0].get("tabs").is_none());

    ds.get("/templates/0b0b0b0b-0000-4000-8000-000000000000")
        .await
        .error(400, "TEMPLATE_ID_INVALID");
    ds.get("/templates/nope/recipients")
        .await
        .error(400, "TEMPLATE_ID_INVALID");
    ds.get(&format!(
        "/templates/{DEFAULT_NDA_TEMPLATE_ID}/recipients?include_tabs=yes"
    ))
    .await
    .error(400, "INVALID_REQUEST_PARAMETER");
    let _ = json!({});
}
