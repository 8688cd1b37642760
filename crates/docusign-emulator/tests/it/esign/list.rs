//! listStatusChanges: required parameters (F30), drafts and `status=any` (F31), filters, paging
//! (F32), speed over 10,000 envelopes.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::time::Instant;

use serde_json::{json, Value};

use super::*;

fn ids(v: &Value) -> Vec<String> {
    v["envelopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["envelopeId"].as_str().unwrap().to_owned())
        .collect()
}

const WEEK_AGO: &str = "from_date=2000-01-01T00:00:00Z";

#[tokio::test]
async fn from_date_is_required_f30() {
    let ds = default_world().await;
    let r = ds.get("/envelopes").await;
    let msg = r.error(400, "INVALID_REQUEST_PARAMETER");
    assert_eq!(
        msg,
        "The request contained at least one invalid parameter. Query parameter 'from_date' must be set to a valid DateTime, or 'envelope_ids' or 'transaction_ids' must be specified."
    );
    assert!(r.text.contains("\r\n"), "DocuSign pretty-prints with CRLF");
    ds.get("/envelopes?from_date=yesterday")
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
    // an offset whose '+' was not URL-encoded arrives as a space: not a valid date
    ds.get("/envelopes?from_date=2024-01-01T00:00:00+02:00")
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
    ds.get("/envelopes?from_date=2024-01-01T00:00:00%2B02:00")
        .await
        .ok();
    ds.get("/envelopes?from_date=2024-01-01").await.ok();
    ds.get("/envelopes?from_date=01/31/2024").await.ok();
    ds.get(&format!("/envelopes?envelope_ids={}", env_id(1)))
        .await
        .ok();
    ds.get(&format!("/envelopes?{WEEK_AGO}&to_date=soon"))
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
    ds.get(&format!("/envelopes?{WEEK_AGO}&status=finished"))
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
    ds.get(&format!("/envelopes?{WEEK_AGO}&count=-1"))
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
    ds.get(&format!("/envelopes?{WEEK_AGO}&order_by=colour"))
        .await
        .error(400, "INVALID_REQUEST_PARAMETER");
}

#[tokio::test]
async fn status_any_leaves_out_drafts_f31() {
    let ds = default_world().await;
    let draft = env_id(0);
    let all = ids(ds.get(&format!("/envelopes?{WEEK_AGO}")).await.ok());
    assert_eq!(all.len(), 8, "every envelope but the draft");
    assert!(!all.contains(&draft.to_owned()));
    let any = ids(ds
        .get(&format!("/envelopes?{WEEK_AGO}&status=any"))
        .await
        .ok());
    assert_eq!(any, all);
    let created = ids(ds
        .get(&format!("/envelopes?{WEEK_AGO}&status=created"))
        .await
        .ok());
    assert_eq!(created, vec![draft.to_owned()]);
    let both = ids(ds
        .get(&format!("/envelopes?{WEEK_AGO}&status=any,created"))
        .await
        .ok());
    assert_eq!(both.len(), 9);
    let drafts = ids(ds
        .get(&format!(
            "/envelopes?{WEEK_AGO}&status=created&folder_ids=drafts"
        ))
        .await
        .ok());
    assert_eq!(drafts, vec![draft.to_owned()]);
}

#[tokio::test]
async fn filters_and_shape() {
    let ds = default_world().await;
    let v = ds
        .get(&format!(
            "/envelopes?{WEEK_AGO}&status=completed,declined&include=recipients,custom_fields,documents,folders"
        ))
        .await
        .ok()
        .clone();
    assert_eq!(v["resultSetSize"], "3");
    assert_eq!(v["totalSetSize"], "3");
    assert_eq!(v["startPosition"], "0");
    assert_eq!(v["endPosition"], "2");
    assert_eq!(v["nextUri"], "");
    assert!(is_ds_time(v["lastQueriedDateTime"].as_str().unwrap()));
    for e in v["envelopes"].as_array().unwrap() {
        assert!(["completed", "declined"].contains(&e["status"].as_str().unwrap()));
        assert!(is_ds_time(e["statusChangedDateTime"].as_str().unwrap()));
        assert!(e["recipients"]["signers"].is_array());
        assert!(e["customFields"]["textCustomFields"][0]["name"] == "templateId");
        assert!(e["envelopeDocuments"].as_array().unwrap().len() >= 2);
        assert_eq!(e["folders"][0]["type"], "sentitems");
    }

    // by template id via the custom field (facts 4.2) and via search_text
    let by_field = ids(
        ds.get(&format!(
            "/envelopes?{WEEK_AGO}&status=any,created&custom_field=templateId={DEFAULT_OFFER_TEMPLATE_ID}"
        ))
        .await
        .ok(),
    );
    assert_eq!(by_field.len(), 3);
    let by_search = ids(ds
        .get(&format!(
            "/envelopes?{WEEK_AGO}&search_text={DEFAULT_OFFER_TEMPLATE_ID}"
        ))
        .await
        .ok());
    assert_eq!(by_search.len(), 3);
    let wildcard = ids(ds
        .get(&format!(
            "/envelopes?{WEEK_AGO}&custom_field=TEMPLATEID=5d1f3a2b%25"
        ))
        .await
        .ok());
    assert_eq!(wildcard.len(), 7);

    // envelope_ids needs no from_date; it includes drafts
    let two = ids(ds
        .get(&format!(
            "/envelopes?envelope_ids={},{}",
            env_id(0),
            env_id(3)
        ))
        .await
        .ok());
    assert_eq!(two.len(), 2);

    // from_to_status=completed looks at completedDateTime
    let done = ids(ds
        .get(&format!("/envelopes?{WEEK_AGO}&from_to_status=completed"))
        .await
        .ok());
    assert_eq!(done.len(), 2);
    // the spec's table: delivered qualifier + status created,sent → empty at once
    let none = ids(ds
        .get(&format!(
            "/envelopes?{WEEK_AGO}&from_to_status=delivered&status=created,sent"
        ))
        .await
        .ok());
    assert!(none.is_empty());

    // a recent from_date keeps only recent changes
    let recent = ids(ds.get("/envelopes?from_date=2999-01-01").await.ok());
    assert!(recent.is_empty());

    // order
    let asc = ids(ds
        .get(&format!("/envelopes?{WEEK_AGO}&order_by=created&order=asc"))
        .await
        .ok());
    let mut desc = ids(ds
        .get(&format!(
            "/envelopes?{WEEK_AGO}&order_by=created&order=desc"
        ))
        .await
        .ok());
    desc.reverse();
    assert_eq!(asc, desc);
}

#[tokio::test]
async fn paging_250_envelopes_f32() {
    let ds = world_with(json!({})).await;
    let made = ds.bulk(json!({"count": 250})).await;
    assert_eq!(made["created"], 250);
    let mut seen = HashSet::new();
    let mut path = format!("/envelopes?{WEEK_AGO}&count=100");
    let mut pages = 0;
    loop {
        let v = ds.get(&path).await.ok().clone();
        pages += 1;
        assert_eq!(v["totalSetSize"], "250");
        let page = ids(&v);
        let start: usize = v["startPosition"].as_str().unwrap().parse().unwrap();
        let end: usize = v["endPosition"].as_str().unwrap().parse().unwrap();
        assert_eq!(end + 1 - start, page.len());
        assert_eq!(v["resultSetSize"], page.len().to_string());
        for id in page {
            assert!(seen.insert(id), "no envelope twice");
        }
        let next = v["nextUri"].as_str().unwrap();
        if next.is_empty() {
            assert_eq!(end + 1, 250);
            break;
        }
        assert!(next.starts_with("/envelopes?"), "{next}");
        assert!(next.contains("start_position="), "{next}");
        if pages > 1 {
            assert!(!v["previousUri"].as_str().unwrap().is_empty());
        }
        path = next.to_owned();
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 250);
    // without count: pages of 100
    let v = ds.get(&format!("/envelopes?{WEEK_AGO}")).await.ok().clone();
    assert_eq!(v["resultSetSize"], "100");
    // past the end
    let v = ds
        .get(&format!("/envelopes?{WEEK_AGO}&start_position=300"))
        .await
        .ok()
        .clone();
    assert_eq!(v["resultSetSize"], "0");
    assert_eq!(v["envelopes"], json!([]));
}

#[tokio::test]
async fn ten_thousand_envelopes_page_fast() {
    let ds = world_with(json!({"templates": [small_template(TEMPLATE)]})).await;
    let started = Instant::now();
    let made = ds
        .bulk(json!({"count": 10000, "template_id": TEMPLATE, "status": "sent", "spread_seconds": 86400}))
        .await;
    let bulk_time = started.elapsed();
    assert_eq!(made["envelope_ids"].as_array().unwrap().len(), 10000);
    assert!(bulk_time.as_secs() < 10, "bulk took {bulk_time:?}");
    // warm up the connection, then time a page
    ds.get(&format!("/envelopes?{WEEK_AGO}&count=1")).await.ok();
    let started = Instant::now();
    let v = ds
        .get(&format!(
            "/envelopes?{WEEK_AGO}&count=100&start_position=5000"
        ))
        .await
        .ok()
        .clone();
    let page_time = started.elapsed();
    assert_eq!(v["totalSetSize"], "10000");
    assert_eq!(v["resultSetSize"], "100");
    eprintln!("bulk 10,000: {bulk_time:?}; one page of 100: {page_time:?}");
    assert!(page_time.as_millis() < 1500, "page took {page_time:?}");
}

/// How many times listStatusChanges went through all of the account's envelopes.
fn listing_scans(ds: &Ds) -> u64 {
    ds.t.emu.world_json()["esignature"][&ds.account]["listing_scans"]
        .as_u64()
        .unwrap()
}

/// Issue 14: a listing goes through the account's envelopes once; its next pages (the same
/// query with another `start_position`) reuse those matches while nothing changed, instead of
/// filtering and sorting every envelope for every page. Followed page by page through
/// `nextUri`, a listing in either order still holds every envelope exactly once, in order
/// (ascending `lastModifiedDateTime`, or descending with `order=desc`); a change between two
/// pages (an envelope opened, a new envelope) is in the next page's answer.
#[tokio::test]
async fn every_page_in_order_across_1250_envelopes_one_scan_per_listing() {
    let ds = world_with(json!({"templates": [small_template(TEMPLATE)]})).await;
    let made = ds
        .bulk(json!({"count": 1250, "template_id": TEMPLATE, "status": "sent", "spread_seconds": 3600}))
        .await;
    let mut listed = Vec::new();
    for order in ["asc", "desc"] {
        let scans = listing_scans(&ds);
        let mut path = format!("/envelopes?{WEEK_AGO}&order={order}&count=100");
        let mut stamps = Vec::new();
        let mut all = Vec::new();
        let mut pages = 0;
        loop {
            let v = ds.get(&path).await.ok().clone();
            pages += 1;
            assert_eq!(v["totalSetSize"], "1250");
            for e in v["envelopes"].as_array().unwrap() {
                all.push(e["envelopeId"].as_str().unwrap().to_owned());
                stamps.push(e["lastModifiedDateTime"].as_str().unwrap().to_owned());
            }
            let next = v["nextUri"].as_str().unwrap();
            if next.is_empty() {
                break;
            }
            path = next.to_owned();
        }
        assert_eq!(pages, 13);
        assert_eq!(
            listing_scans(&ds),
            scans + 1,
            "{order}: one pass over the envelopes for 13 pages"
        );
        assert_eq!(all.len(), 1250, "{order}: every envelope");
        assert_eq!(
            all.iter().collect::<HashSet<_>>().len(),
            1250,
            "{order}: none twice"
        );
        // the bulk envelopes are ~2.9 s apart, so their timestamps are strictly ordered
        let mut sorted = stamps.clone();
        sorted.sort();
        if order == "desc" {
            sorted.reverse();
        }
        assert_eq!(stamps, sorted, "{order}: in order across pages");
        listed.push(all);
    }
    listed[1].reverse();
    assert_eq!(listed[0], listed[1]);

    // A change between two pages: the next page is computed again and shows it.
    let first = format!("/envelopes?{WEEK_AGO}&count=100");
    let page1 = ids(ds.get(&first).await.ok());
    let opened = made["envelope_ids"][0].as_str().unwrap();
    assert_eq!(page1[0], opened, "the oldest change comes first");
    ds.advance(60).await;
    let (status, body) = ds.recipient_action(opened, "1", "deliver", json!({})).await;
    assert_eq!(status, 200, "{body}");
    let scans = listing_scans(&ds);
    let v = ds
        .get(&format!("{first}&start_position=1150"))
        .await
        .ok()
        .clone();
    assert_eq!(listing_scans(&ds), scans + 1, "a change makes a new pass");
    assert_eq!(v["totalSetSize"], "1250");
    let last = ids(&v);
    assert_eq!(last.len(), 100);
    assert_eq!(
        last[99], opened,
        "the opened envelope is now the latest change"
    );
    ds.bulk(json!({"count": 1, "template_id": TEMPLATE})).await;
    let v = ds
        .get(&format!("{first}&start_position=1200"))
        .await
        .ok()
        .clone();
    assert_eq!(v["totalSetSize"], "1251", "a new envelope is listed");
}
