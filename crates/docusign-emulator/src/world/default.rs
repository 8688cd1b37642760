//! The default world, generated when no world file is given: a fresh RSA key pair, one
//! integration key, one user with one account (the emulator's own base URI), a consent only when
//! asked, and the account's templates and envelopes with fixed ids (so tests and docs can name
//! them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rsa::pkcs8::{EncodePublicKey as _, LineEnding};
use serde::Serialize;

use super::format::*;
use crate::EmulatorError;

/// Name used in errors for the generated default world.
pub(crate) const DEFAULT_WORLD_NAME: &str = "<default world>";

/// Credentials of the generated default world, for the CLI's ready line and for tests.
///
/// `private_key` is the path of a PKCS#1 (`RSA PRIVATE KEY` label) PEM file, mode
/// 0600, as DocuSign's Apps and Keys page hands it out; its public half is registered on
/// `integration_key`.
#[derive(Debug, Clone, Serialize)]
pub struct DefaultCredentials {
    /// Path of the PKCS#1 PEM private key file (`data_dir/private_key.pem`).
    pub private_key: PathBuf,
    /// The integration key (client ID) GUID.
    pub integration_key: String,
    /// The impersonated user's GUID (JWT `sub`).
    pub user_id: String,
    /// The user's only account GUID.
    pub account_id: String,
    /// The account's base URI: the emulator's own URL (`https://127.0.0.1:PORT`).
    pub base_uri: String,
    /// The redirect URI registered on the integration key (`https://localhost/callback`).
    pub redirect_uri: String,
}

/// The redirect URI registered on the default world's integration key.
pub const DEFAULT_REDIRECT_URI: &str = "https://localhost/callback";

/// Generates the default world: a fresh 2048-bit RSA key pair (private half written to
/// `data_dir/private_key.pem`, PKCS#1, 0600, atomically), one integration key, one user
/// "Sandbox User" with one account "Sandbox Account" (`base_uri` self, default), environment
/// `"sandbox"`, and a consent only when `grant_consent`. GUIDs are random per call, except the
/// account's eSignature templates and envelopes, which have fixed ids
/// ([`DEFAULT_NDA_TEMPLATE_ID`], …).
///
/// Returns the world file and the credentials (with `base_uri` still empty: the caller fills it
/// in once the port is known).
pub(crate) fn generate_default_world(
    data_dir: &Path,
    grant_consent: bool,
) -> Result<(WorldFile, DefaultCredentials), EmulatorError> {
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    let mut rng = rand::thread_rng();
    let private = rsa::RsaPrivateKey::new(&mut rng, 2048)
        .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))?;
    let pem = private
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))?;
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| EmulatorError::KeyGeneration(e.to_string()))?;
    let key_path = data_dir.join("private_key.pem");
    crate::fsutil::write_atomic(&key_path, pem.as_bytes(), 0o600).map_err(|source| {
        EmulatorError::DataDir {
            path: key_path.clone(),
            source,
        }
    })?;

    let integration_key = uuid::Uuid::new_v4().to_string();
    let user_id = uuid::Uuid::new_v4().to_string();
    let account_id = uuid::Uuid::new_v4().to_string();
    let consents = if grant_consent {
        vec![ConsentSpec {
            user_id: user_id.clone(),
            integration_key: integration_key.clone(),
            scopes: None,
        }]
    } else {
        Vec::new()
    };
    let file = WorldFile {
        environment: "sandbox".to_owned(),
        token_lifetime_seconds: default_token_lifetime(),
        integration_keys: vec![IntegrationKeySpec {
            integration_key: integration_key.clone(),
            name: Some("DocuSign JWT Studio (sandbox)".to_owned()),
            public_keys: vec![public_pem],
            public_key_files: Vec::new(),
            redirect_uris: vec![DEFAULT_REDIRECT_URI.to_owned()],
        }],
        users: vec![UserSpec {
            user_id: user_id.clone(),
            name: "Sandbox User".to_owned(),
            email: "sandbox.user@example.com".to_owned(),
            given_name: None,
            family_name: None,
            created: None,
            accounts: vec![AccountSpec {
                account_id: account_id.clone(),
                account_name: "Sandbox Account".to_owned(),
                is_default: true,
                base_uri: "self".to_owned(),
                organization_id: None,
            }],
        }],
        consents,
        esignature: BTreeMap::from([(account_id.clone(), default_account_spec())]),
    };
    let credentials = DefaultCredentials {
        private_key: key_path,
        integration_key,
        user_id,
        account_id,
        base_uri: String::new(),
        redirect_uri: DEFAULT_REDIRECT_URI.to_owned(),
    };
    Ok((file, credentials))
}

/// The credentials of a default world saved by an earlier run: its first integration key, first
/// user and that user's first account; the private key is `data_dir/private_key.pem` (which the
/// caller may have moved elsewhere: the emulator needs only the public half). `base_uri` is
/// empty until the port is known. `None` when the world lacks any of them.
pub(crate) fn saved_credentials(file: &WorldFile, data_dir: &Path) -> Option<DefaultCredentials> {
    let ik = file.integration_keys.first()?;
    let user = file.users.first()?;
    let account = user.accounts.first()?;
    Some(DefaultCredentials {
        private_key: data_dir.join("private_key.pem"),
        integration_key: ik.integration_key.to_ascii_lowercase(),
        user_id: user.user_id.to_ascii_lowercase(),
        account_id: account.account_id.to_ascii_lowercase(),
        base_uri: String::new(),
        redirect_uri: DEFAULT_REDIRECT_URI.to_owned(),
    })
}

// ---------------------------------------------------------------------------------------------
// The default account's eSignature data

/// Template id of the default world's "Mutual NDA".
pub const DEFAULT_NDA_TEMPLATE_ID: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01";
/// Template id of the default world's "Offer Letter".
pub const DEFAULT_OFFER_TEMPLATE_ID: &str = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b02";

/// The default world's short account number (an alias of its account GUID in REST paths, F40).
pub const DEFAULT_ACCOUNT_NUMBER: &str = "18347261";

/// Envelope ids of the default world, with their status.
pub const DEFAULT_ENVELOPES: [(&str, &str); 9] = [
    ("e1a0c001-0000-4000-8000-000000000001", "created"),
    ("e1a0c001-0000-4000-8000-000000000002", "sent"),
    ("e1a0c001-0000-4000-8000-000000000003", "delivered"),
    ("e1a0c001-0000-4000-8000-000000000004", "completed"),
    ("e1a0c001-0000-4000-8000-000000000005", "voided"),
    ("e1a0c001-0000-4000-8000-000000000006", "sent"),
    ("e1a0c001-0000-4000-8000-000000000007", "completed"),
    ("e1a0c001-0000-4000-8000-000000000008", "declined"),
    ("e1a0c001-0000-4000-8000-000000000009", "sent"),
];

fn tab(kind: &str, label: &str) -> TabSpec {
    TabSpec {
        tab_type: kind.into(),
        tab_label: label.into(),
        ..TabSpec::default()
    }
}

fn template_id_field(id: &str) -> CustomFieldsSpec {
    CustomFieldsSpec {
        text: vec![TextCustomFieldSpec {
            name: "templateId".into(),
            value: Some(id.into()),
            show: Some(false),
            required: Some(false),
        }],
        list: Vec::new(),
    }
}

fn value(mut t: TabSpec, v: &str) -> TabSpec {
    t.value = Some(v.into());
    t
}

fn nda_roles(
    signer: Option<(&str, &str)>,
    values: &[(&str, &str)],
    checked: bool,
) -> Vec<RecipientSpec> {
    let tabs = nda_signer_tabs()
        .into_iter()
        .map(|t| match values.iter().find(|(l, _)| *l == t.tab_label) {
            Some((_, v)) => value(t, v),
            None => t,
        })
        .map(|mut t| {
            if t.tab_type == "checkbox" && checked {
                t.selected = Some(true);
            }
            t
        })
        .collect();
    vec![
        RecipientSpec {
            role_name: Some("Signer 1".into()),
            name: signer.map(|s| s.0.to_owned()),
            email: signer.map(|s| s.1.to_owned()),
            routing_order: Some(1),
            tabs,
            ..RecipientSpec::default()
        },
        company_signer(),
    ]
}

fn nda_signer_tabs() -> Vec<TabSpec> {
    let mut checkbox = tab("checkbox", "AgreeTerms");
    checkbox.required = Some(true);
    let mut plan = tab("list", "Plan");
    plan.list_items = ["Basic", "Pro", "Enterprise"]
        .iter()
        .map(|s| ListItemSpec {
            text: (*s).into(),
            value: Some(s.to_ascii_lowercase()),
        })
        .collect();
    let mut sign = tab("signHere", "SignHere1");
    sign.page_number = Some(2);
    let mut signed = tab("dateSigned", "DateSigned1");
    signed.page_number = Some(2);
    let mut full = tab("fullName", "FullName1");
    full.page_number = Some(2);
    vec![
        tab("text", "CustomerAddress"),
        tab("number", "Amount"),
        checkbox,
        plan,
        tab("date", "StartDate"),
        tab("company", "Company"),
        sign,
        signed,
        full,
    ]
}

fn company_signer() -> RecipientSpec {
    let mut sign = tab("signHere", "CompanySignHere");
    sign.page_number = Some(2);
    let mut date = tab("dateSigned", "CompanyDateSigned");
    date.page_number = Some(2);
    let mut title = tab("text", "CompanyTitle");
    title.page_number = Some(2);
    title.value = Some("General Counsel".into());
    title.locked = Some(true);
    RecipientSpec {
        role_name: Some("Company Signer".into()),
        name: Some("Casey Counsel".into()),
        email: Some("legal@example.com".into()),
        routing_order: Some(2),
        tabs: vec![sign, date, title],
        ..RecipientSpec::default()
    }
}

fn offer_roles(candidate: Option<(&str, &str)>, values: &[(&str, &str)]) -> Vec<RecipientSpec> {
    let mut relocation = tab("radioGroup", "Relocation");
    relocation.radios = vec![
        RadioSpec {
            value: "yes".into(),
        },
        RadioSpec { value: "no".into() },
    ];
    relocation.required = Some(false);
    let mut position = tab("text", "Position");
    position.locked = Some(true);
    let tabs = vec![
        position,
        tab("number", "Salary"),
        tab("date", "StartDate"),
        tab("email", "PersonalEmail"),
        relocation,
        tab("signHere", "CandidateSignature"),
        tab("dateSigned", "CandidateDateSigned"),
    ]
    .into_iter()
    .map(|t| match values.iter().find(|(l, _)| *l == t.tab_label) {
        Some((_, v)) => value(t, v),
        None => t,
    })
    .collect();
    vec![
        RecipientSpec {
            role_name: Some("Candidate".into()),
            name: candidate.map(|c| c.0.to_owned()),
            email: candidate.map(|c| c.1.to_owned()),
            routing_order: Some(1),
            tabs,
            ..RecipientSpec::default()
        },
        RecipientSpec {
            role_name: Some("HR".into()),
            recipient_type: Some("carbonCopy".into()),
            name: Some("HR Team".into()),
            email: Some("hr@example.com".into()),
            routing_order: Some(2),
            ..RecipientSpec::default()
        },
    ]
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// The default account's templates and envelopes (relative timestamps, fixed ids).
pub(crate) fn default_account_spec() -> AccountEsignSpec {
    let nda = TemplateSpec {
        template_id: DEFAULT_NDA_TEMPLATE_ID.into(),
        name: "Mutual NDA".into(),
        description: s("Two-party mutual non-disclosure agreement"),
        email_subject: s("Please sign the Mutual NDA"),
        email_blurb: None,
        created: s("-60d"),
        last_modified: s("-10d"),
        shared: Some(true),
        owner_user_id: None,
        documents: vec![DocumentSpec {
            document_id: "1".into(),
            name: "Mutual NDA.pdf".into(),
            pages: Some(2),
            size_bytes: None,
        }],
        roles: nda_roles(None, &[], false),
        custom_fields: Some(template_id_field(DEFAULT_NDA_TEMPLATE_ID)),
    };
    let offer = TemplateSpec {
        template_id: DEFAULT_OFFER_TEMPLATE_ID.into(),
        name: "Offer Letter".into(),
        description: s("Employment offer letter"),
        email_subject: s("Your offer letter"),
        email_blurb: s("Please review and sign your offer."),
        created: s("-45d"),
        last_modified: s("-45d"),
        shared: Some(false),
        owner_user_id: None,
        documents: vec![DocumentSpec {
            document_id: "1".into(),
            name: "Offer Letter.pdf".into(),
            pages: Some(1),
            size_bytes: None,
        }],
        roles: offer_roles(None, &[("Position", "Software Engineer")]),
        custom_fields: Some(template_id_field(DEFAULT_OFFER_TEMPLATE_ID)),
    };
    let env = |i: usize,
               status: &str,
               template: Option<&str>,
               subject: &str,
               recipients: Vec<RecipientSpec>,
               times: [Option<&str>; 5]| {
        let [created, sent, delivered, done, changed] = times;
        EnvelopeSpec {
            envelope_id: DEFAULT_ENVELOPES[i].0.into(),
            status: status.into(),
            email_subject: s(subject),
            email_blurb: None,
            template_id: template.map(str::to_owned),
            created: created.map(str::to_owned),
            sent: sent.map(str::to_owned),
            delivered: delivered.map(str::to_owned),
            completed: if status == "completed" {
                done.map(str::to_owned)
            } else {
                None
            },
            declined: if status == "declined" {
                done.map(str::to_owned)
            } else {
                None
            },
            voided: if status == "voided" {
                done.map(str::to_owned)
            } else {
                None
            },
            voided_reason: if status == "voided" {
                s("Sent to the wrong customer")
            } else {
                None
            },
            status_changed: changed.map(str::to_owned),
            sender_user_id: None,
            transaction_id: None,
            recipients: Some(recipients),
            documents: None,
            custom_fields: None,
        }
    };
    let alice = Some(("Alice Example", "alice@example.com"));
    let bob = Some(("Bob Buyer", "bob@example.com"));
    let carol = Some(("Carol Client", "carol@example.com"));
    let dan = Some(("Dan Dealer", "dan@example.com"));
    let erin = Some(("Erin Engineer", "erin@example.com"));
    let frank = Some(("Frank Finance", "frank@example.com"));
    let grace = Some(("Grace Designer", "grace@example.com"));
    let filled = [
        ("CustomerAddress", "1 Main Street, Springfield"),
        ("Amount", "25000"),
        ("Plan", "pro"),
        ("StartDate", "2026-01-01"),
        ("Company", "Example Corp"),
    ];
    let fill_roles = |mut roles: Vec<RecipientSpec>, statuses: [&str; 2]| {
        for (r, st) in roles.iter_mut().zip(statuses) {
            if !st.is_empty() {
                r.status = s(st);
            }
        }
        roles
    };
    let adhoc = EnvelopeSpec {
        envelope_id: DEFAULT_ENVELOPES[8].0.into(),
        status: "sent".into(),
        email_subject: s("Ad-hoc contract (no template)"),
        email_blurb: None,
        template_id: None,
        created: s("-5h"),
        sent: s("-5h"),
        delivered: None,
        completed: None,
        declined: None,
        voided: None,
        voided_reason: None,
        status_changed: None,
        sender_user_id: None,
        transaction_id: None,
        recipients: Some(vec![RecipientSpec {
            name: s("Harry Handshake"),
            email: s("harry@example.com"),
            tabs: vec![tab("signHere", "Sign")],
            ..RecipientSpec::default()
        }]),
        documents: Some(vec![DocumentSpec {
            document_id: "1".into(),
            name: "Contract.pdf".into(),
            pages: Some(1),
            size_bytes: None,
        }]),
        custom_fields: Some(CustomFieldsSpec::default()),
    };
    AccountEsignSpec {
        limits: LimitsSpec::default(),
        settings: SettingsSpec::default(),
        folders: Vec::new(),
        account_number: Some(DEFAULT_ACCOUNT_NUMBER.to_owned()),
        users: Vec::new(),
        templates: vec![nda, offer],
        envelopes: vec![
            env(
                0,
                "created",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Mutual NDA (draft)",
                nda_roles(alice, &[("Amount", "1000")], false),
                [Some("-3d"), None, None, None, None],
            ),
            env(
                1,
                "sent",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                nda_roles(bob, &filled[..2], false),
                [Some("-2d4h"), Some("-2d4h"), None, None, None],
            ),
            env(
                2,
                "delivered",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                nda_roles(carol, &filled, false),
                [Some("-1d6h"), Some("-1d6h"), Some("-1d2h"), None, None],
            ),
            env(
                3,
                "completed",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                fill_roles(nda_roles(dan, &filled, true), ["completed", "completed"]),
                [
                    Some("-3d2h"),
                    Some("-3d2h"),
                    Some("-3d"),
                    Some("-2d20h"),
                    None,
                ],
            ),
            env(
                4,
                "voided",
                Some(DEFAULT_NDA_TEMPLATE_ID),
                "Please sign the Mutual NDA",
                nda_roles(alice, &[], false),
                [Some("-1d20h"), Some("-1d20h"), None, Some("-1d8h"), None],
            ),
            env(
                5,
                "sent",
                Some(DEFAULT_OFFER_TEMPLATE_ID),
                "Your offer letter",
                offer_roles(
                    erin,
                    &[
                        ("Position", "Software Engineer"),
                        ("Salary", "120000"),
                        ("StartDate", "2026-02-01"),
                    ],
                ),
                [Some("-20h"), Some("-20h"), None, None, None],
            ),
            env(
                6,
                "completed",
                Some(DEFAULT_OFFER_TEMPLATE_ID),
                "Your offer letter",
                fill_roles(
                    offer_roles(
                        frank,
                        &[
                            ("Position", "Analyst"),
                            ("Salary", "90000"),
                            ("StartDate", "2025-12-01"),
                            ("PersonalEmail", "frank.home@example.com"),
                            ("Relocation", "no"),
                        ],
                    ),
                    ["completed", "completed"],
                ),
                [
                    Some("-4d"),
                    Some("-4d"),
                    Some("-3d20h"),
                    Some("-3d18h"),
                    None,
                ],
            ),
            env(
                7,
                "declined",
                Some(DEFAULT_OFFER_TEMPLATE_ID),
                "Your offer letter",
                fill_roles(
                    offer_roles(grace, &[("Position", "Designer"), ("Salary", "85000")]),
                    ["declined", "created"],
                ),
                [
                    Some("-2d"),
                    Some("-2d"),
                    Some("-1d23h"),
                    Some("-1d22h"),
                    None,
                ],
            ),
            adhoc,
        ],
    }
}
