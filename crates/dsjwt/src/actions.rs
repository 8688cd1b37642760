//! `dsjwt action`, `dsjwt golive`.

use crate::{ConnectionArgs, Usage};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use studio_core::action_result::ActionAnswer;
use studio_core::actions::{ActionRequest, RoleInput, TabInput};
use studio_core::envelope_answers::FetchPolicy;
use studio_core::listing::{ListingError, ListingFormat};
use studio_core::problem::Problem;
use studio_core::workspace::{GivenSession, Workspace};

/// `dsjwt action …`
#[derive(Args)]
pub struct ActionArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// For an envelope fetched in the last 15 minutes (by any command or the app): use that
    /// answer instead of fetching again, which DocuSign's Go-Live review counts as polling.
    #[arg(long, global = true)]
    reuse: bool,
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// list_envelopes: envelopes changed in a date range (every page).
    ListEnvelopes {
        /// Start of the range (ISO 8601; default 30 days ago). Always sent.
        #[arg(long)]
        from_date: Option<String>,
        /// End of the range (ISO 8601; default now).
        #[arg(long)]
        to_date: Option<String>,
        /// Current status (comma list: sent, delivered, completed, declined, voided, created, any).
        #[arg(long)]
        status: Option<String>,
        /// Folder ID (or a folder name such as sentitems, inbox, draft).
        #[arg(long)]
        folder_id: Option<String>,
        /// Only envelopes sent from this template (templateId envelope custom field).
        #[arg(long)]
        template_id: Option<String>,
        /// DocuSign's user_filter: sender (sent by the connection's user), recipient (sent to
        /// them) or recipient_only. Without it: what the user may see (their own envelopes,
        /// or the account's with the permission "Allow view and manage envelope rights
        /// through API").
        #[arg(long)]
        user_filter: Option<String>,
        /// JSON Lines: one envelope per line instead of one JSON document (the count, pages
        /// and delivery problems then go to stderr; a failure after the first page is the
        /// last line, with "ok": false).
        #[arg(long)]
        jsonl: bool,
    },
    /// get_envelope: one envelope by ID.
    GetEnvelope {
        /// Envelope ID.
        envelope_id: String,
    },
    /// download_document: a document, `combined`, `archive` (ZIP) or `certificate`, to a file.
    DownloadDocument {
        /// Envelope ID.
        envelope_id: String,
        /// A document number, `combined`, `archive`, `certificate` or `portfolio`.
        document_id: String,
        /// Where to write it (written atomically): a file, or a folder to save it there under
        /// DocuSign's name for it (made safe for Windows too), never over a file already
        /// there ("Combined (2).pdf").
        #[arg(long)]
        out: PathBuf,
        /// For `combined`: add the certificate of completion at the end. Always sent to
        /// DocuSign as certificate=true|false, so the account's setting does not decide.
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "true|false")]
        certificate: bool,
    },
    /// send_envelope_from_template: roles and tabs checked against the template first.
    SendEnvelopeFromTemplate {
        /// Template ID.
        template_id: String,
        /// `ROLE=NAME <EMAIL>`, once per role.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// `ROLE:LABEL=VALUE`, once per tab to prefill.
        #[arg(long = "tab")]
        tabs: Vec<String>,
        /// `ROLE=SIGNER NAME` for an in-person role: its --role person is the host who brings
        /// the device, this is who signs on it.
        #[arg(long = "in-person")]
        in_person: Vec<String>,
        /// Email subject (default: the template's). At most 100 characters, merge fields such
        /// as [[Signer 1_UserName]] counted as what they become.
        #[arg(long)]
        subject: Option<String>,
        /// Email message (default: the template's). At most 10,000 characters.
        #[arg(long)]
        message: Option<String>,
        /// Save as a draft instead of sending.
        #[arg(long)]
        draft: bool,
    },
    /// void_envelope: cancel an in-flight (sent or delivered) envelope.
    VoidEnvelope {
        /// Envelope ID.
        envelope_id: String,
        /// Why (required by DocuSign, shown to recipients).
        #[arg(long)]
        reason: String,
    },
    /// get_recipient_status: the signing status of each recipient.
    GetRecipientStatus {
        /// Envelope ID.
        envelope_id: String,
    },
    /// list_templates: every template (every page).
    ListTemplates,
    /// get_template_roles: a template's roles and their tabs.
    GetTemplateRoles {
        /// Template ID.
        template_id: String,
    },
    /// get_tab_values: the values recipients filled in (every tab type).
    GetTabValues {
        /// Envelope ID.
        envelope_id: String,
        /// One recipient (default: all).
        #[arg(long)]
        recipient_id: Option<String>,
    },
}

/// `dsjwt golive`
#[derive(Args)]
pub struct GoliveArgs {
    #[command(flatten)]
    connection: ConnectionArgs,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Make calls that cannot be polling violations (template calls) until the verdict is ready.
    #[arg(long)]
    warm_up: bool,
    /// How many recent calls to list.
    #[arg(long, default_value_t = 30)]
    recent: usize,
}

/// A setup problem as the action JSON gives it: `"ok": false`, the problem's own fields as it
/// serializes them (code, detail, message, fix, and field when there is one; an empty fix is
/// `null`), and no DocuSign `errorCode`.
fn problem_json(p: &Problem) -> Value {
    let mut v = json!({"ok": false, "errorCode": Value::Null});
    if let (Some(o), Ok(Value::Object(fields))) = (v.as_object_mut(), serde_json::to_value(p)) {
        o.extend(fields);
    }
    v
}

pub(crate) fn print(v: &Value) {
    outln!("{}", serde_json::to_string(v).unwrap_or_default());
}

/// Opens the workspace and, in it, the session of the connection the flags give. A usage
/// problem (missing flag, unreadable file) is `Err` (exit 2 by the caller); a setup problem
/// (bad setting or key) is printed as JSON and comes back as `Ok(Err(exit code))`.
fn connect<'w>(
    c: &ConnectionArgs,
    workspace: &'w Workspace,
) -> Result<Result<GivenSession<'w>, ExitCode>, Usage> {
    let given = c.given(c.to_input(None)?)?;
    Ok(workspace.given_session(&given).map_err(setup_failed))
}

/// A setup problem (bad setting, key or CA file: input caught before any call): printed as
/// JSON; exit 2, like every input refused before a call.
pub(crate) fn setup_failed(p: Problem) -> ExitCode {
    print(&problem_json(&p));
    ExitCode::from(2)
}

fn parse_role(s: &str) -> Result<RoleInput, Usage> {
    let bad = || {
        Usage(format!("--role '{s}': expected 'ROLE=NAME <EMAIL>', e.g. --role 'Signer 1=Ada Lovelace <ada@example.com>'"))
    };
    let (role, person) = s.split_once('=').ok_or_else(bad)?;
    let (name, rest) = person.split_once('<').ok_or_else(bad)?;
    let email = rest.trim().strip_suffix('>').ok_or_else(bad)?.trim();
    if role.is_empty() || name.trim().is_empty() || !email.contains('@') {
        return Err(bad());
    }
    Ok(RoleInput {
        role_name: role.to_string(),
        name: name.trim().to_string(),
        email: email.to_string(),
        in_person_signer_name: None,
    })
}

fn parse_tab(s: &str) -> Result<TabInput, Usage> {
    let bad = || {
        Usage(format!("--tab '{s}': expected 'ROLE:LABEL=VALUE', e.g. --tab 'Signer 1:CustomerAddress=1 Main St'"))
    };
    let (role, rest) = s.split_once(':').ok_or_else(bad)?;
    let (label, value) = rest.split_once('=').ok_or_else(bad)?;
    if role.is_empty() || label.is_empty() {
        return Err(bad());
    }
    Ok(TabInput {
        role_name: role.to_string(),
        tab_label: label.to_string(),
        value: value.to_string(),
    })
}

fn request(action: Action) -> Result<ActionRequest, Usage> {
    Ok(match action {
        Action::ListEnvelopes {
            from_date,
            to_date,
            status,
            folder_id,
            template_id,
            user_filter,
            jsonl: _,
        } => ActionRequest::ListEnvelopes {
            from_date,
            to_date,
            status,
            folder_id,
            template_id,
            user_filter,
        },
        Action::GetEnvelope { envelope_id } => ActionRequest::GetEnvelope { envelope_id },
        Action::DownloadDocument {
            envelope_id,
            document_id,
            out,
            certificate,
        } => ActionRequest::DownloadDocument {
            envelope_id,
            document_id,
            out,
            certificate: Some(certificate),
        },
        Action::SendEnvelopeFromTemplate {
            template_id,
            roles,
            tabs,
            in_person,
            subject,
            message,
            draft,
        } => {
            let mut roles = roles
                .iter()
                .map(|r| parse_role(r))
                .collect::<Result<Vec<_>, _>>()?;
            for spec in &in_person {
                let bad = || {
                    Usage(format!("--in-person '{spec}': expected 'ROLE=SIGNER NAME', e.g. --in-person 'Customer=Walk-in Customer' (with --role 'Customer=HOST NAME <HOST EMAIL>')"))
                };
                let (role, signer) = spec.split_once('=').ok_or_else(bad)?;
                if signer.trim().is_empty() {
                    return Err(bad());
                }
                let Some(r) = roles.iter_mut().find(|r| r.role_name == role) else {
                    return Err(Usage(format!("--in-person '{spec}': give the host for role '{role}' with --role '{role}=HOST NAME <HOST EMAIL>' too")));
                };
                r.in_person_signer_name = Some(signer.trim().to_string());
            }
            let tabs = tabs
                .iter()
                .map(|t| parse_tab(t))
                .collect::<Result<Vec<_>, _>>()?;
            if roles.is_empty() {
                return Err(Usage("at least one --role 'ROLE=NAME <EMAIL>' is needed (see `dsjwt action get-template-roles TEMPLATE_ID` for the role names)".into()));
            }
            ActionRequest::SendEnvelopeFromTemplate {
                template_id,
                roles,
                tabs,
                subject,
                message,
                draft,
            }
        }
        Action::VoidEnvelope {
            envelope_id,
            reason,
        } => ActionRequest::VoidEnvelope {
            envelope_id,
            reason,
        },
        Action::GetRecipientStatus { envelope_id } => {
            ActionRequest::GetRecipientStatus { envelope_id }
        }
        Action::ListTemplates => ActionRequest::ListTemplates,
        Action::GetTemplateRoles { template_id } => ActionRequest::GetTemplateRoles { template_id },
        Action::GetTabValues {
            envelope_id,
            recipient_id,
        } => ActionRequest::GetTabValues {
            envelope_id,
            recipient_id,
        },
    })
}

/// Runs one action. Exit 0 with the result, 1 when DocuSign (or a pre-send
/// check) refused, 2 on bad usage, 3 when the action was done but a call of it could not be
/// recorded in the Go-Live ledger (`"ledger_recorded": false`, e.g. the disk is full).
pub async fn run_action(a: ActionArgs) -> Result<ExitCode, Usage> {
    let listing = match &a.action {
        Action::ListEnvelopes { jsonl: true, .. } => Some(ListingFormat::Lines),
        Action::ListEnvelopes { .. } => Some(ListingFormat::Document),
        _ => None,
    };
    // Check everything local before any call: a typo must not reach DocuSign (it would
    // reset the Go-Live streak).
    let req = match request(a.action)?.checked() {
        Ok(r) => r,
        Err(f) => {
            print(&serde_json::to_value(&f).unwrap_or(Value::Null));
            return Ok(ExitCode::from(2));
        }
    };
    let input = a.connection.to_input(None)?;
    let workspace = a.connection.workspace()?;
    let session = match workspace.given_session(&a.connection.given(input)?) {
        Ok(s) => s,
        Err(p) => return Ok(setup_failed(p)),
    };
    if let Some(format) = listing {
        return Ok(run_listing(&session, &req, format).await);
    }
    let policy = if a.reuse {
        FetchPolicy::Reuse
    } else {
        // The command asks for a fetch: make it, but say first when it counts as polling.
        if let Ok(Some(w)) = session.earlier_fetch(&req) {
            eprintln!(
                "dsjwt: warning: {} {}",
                w.message,
                if w.answer_kept {
                    format!("To use the answer from {} instead, add --reuse.", w.ago)
                } else {
                    "Wait before fetching it again.".to_string()
                }
            );
        }
        FetchPolicy::FetchAnyway
    };
    // Download progress on stderr: every 10 % (or every 10 MiB when the size is unknown), for
    // files of 1 MB or more only; a smaller one is saved before a line could be read.
    const QUIET_BELOW: u64 = 1_000_000;
    let mut next_report = 0u64;
    let result = session
        .run_action(&req, policy, |done, total| match total {
            Some(t) if t < QUIET_BELOW => {}
            Some(t) if t > 0 => {
                let pct = done * 100 / t;
                if pct >= next_report && done < t {
                    eprintln!("dsjwt: downloading… {pct}% of {t} bytes");
                    next_report = pct / 10 * 10 + 10;
                }
            }
            _ => {
                if done >= next_report.max(QUIET_BELOW) {
                    eprintln!("dsjwt: downloading… {done} bytes");
                    next_report = done + 10 * (1 << 20);
                }
            }
        })
        .await;
    match result {
        Ok(v) => {
            if let Some(n) = &v.clock_notice {
                eprintln!("dsjwt: {n}");
            }
            if let ActionAnswer::DownloadDocument(d) = &v.answer {
                eprintln!("dsjwt: saved to {} ({})", d.path.display(), d.contains);
            }
            print(&v.to_json());
            if v.ledger_not_recorded() {
                if let Some(p) = &v.ledger_problem {
                    eprintln!("dsjwt: {p}");
                }
                // Done at DocuSign, but not in the ledger: not a plain success.
                return Ok(ExitCode::from(3));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(f) => {
            print(&serde_json::to_value(&f).unwrap_or(Value::Null));
            Ok(ExitCode::from(if f.is_input_problem() { 2 } else { 1 }))
        }
    }
}

/// `list-envelopes`: written page by page to stdout (flat memory, any listing size).
async fn run_listing(
    session: &GivenSession<'_>,
    req: &ActionRequest,
    format: ListingFormat,
) -> ExitCode {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
    let written = session.write_listing(req, format, &mut out).await;
    drop(out);
    match written {
        Ok(s) => {
            if let Some(n) = &s.clock_notice {
                eprintln!("dsjwt: {n}");
            }
            if format == ListingFormat::Lines {
                eprintln!(
                    "dsjwt: {} envelopes in {} pages (from {})",
                    s.count, s.pages, s.from_date
                );
                for p in &s.delivery_problems {
                    eprintln!("dsjwt: warning: {}", json!(p));
                }
            }
            ExitCode::SUCCESS
        }
        Err(ListingError::Refused(f)) => {
            print(&serde_json::to_value(&f).unwrap_or(Value::Null));
            ExitCode::from(if f.is_input_problem() { 2 } else { 1 })
        }
        Err(ListingError::Stopped(f)) => {
            eprintln!("dsjwt: the listing stopped part way: {}", f.message);
            ExitCode::from(1)
        }
        // The reader went away (`… | head`): end quietly, as every command does.
        Err(ListingError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(ListingError::Write(e)) => {
            eprintln!("dsjwt: could not write the listing: {e}");
            ExitCode::from(1)
        }
    }
}

/// `dsjwt golive [--json] [--warm-up]`.
pub async fn run_golive(a: GoliveArgs) -> Result<ExitCode, Usage> {
    a.connection.require_any()?;
    let (ik, auth) = a.connection.ik_and_auth()?;
    let ik = ik.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        Usage("missing: --integration-key (DSJWT_INTEGRATION_KEY) or --connection NAME".into())
    })?;
    let ik = ik.trim().to_string();
    let workspace = a.connection.workspace()?;
    if a.warm_up {
        let connected = connect(&a.connection, &workspace).map_err(|Usage(m)| {
            Usage(format!(
                "--warm-up makes calls, so it needs the whole connection: {m}"
            ))
        })?;
        let session = match connected {
            Ok(s) => s,
            Err(code) => return Ok(code),
        };
        let res = session
            .warm_up(|p| {
                eprintln!(
                    "dsjwt: warm-up {}/{}: {}",
                    p.streak.min(p.required),
                    p.required,
                    p.call
                )
            })
            .await;
        if let Err(e) = res {
            // Plain words, the fix, and the technical text last (as `check` prints a step).
            let f = e.failure();
            eprintln!("dsjwt: {}", f.message);
            if let Some(fix) = f.fix() {
                eprintln!("dsjwt: fix: {fix}");
            }
            if let Some(d) = &f.details {
                eprintln!("dsjwt: details: {d}");
            }
            let status = workspace
                .golive_status(&ik, &auth, a.recent)
                .map_err(|e| Usage(e.to_string()))?;
            print_status(&status, a.json);
            return Ok(ExitCode::from(1));
        }
    }
    let status = workspace
        .golive_status(&ik, &auth, a.recent)
        .map_err(|e| Usage(e.to_string()))?;
    print_status(&status, a.json);
    Ok(if a.warm_up && !status.ready {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_status(s: &studio_core::ledger::GoLiveStatus, as_json: bool) {
    if as_json {
        print(&serde_json::to_value(s).unwrap_or(Value::Null));
        return;
    }
    outln!(
        "Go-Live streak for {} at {}: {}",
        s.integration_key,
        s.environment,
        s.summary
    );
    for c in s.recent.iter().take(25) {
        let mark = match c.verdict.as_str() {
            "counted" => "✓",
            "broke_streak" => "✗",
            _ => "·",
        };
        outln!(
            "  {mark} {} {:<6} {:<70} {}",
            c.at,
            c.method,
            c.path_template,
            c.reason
        );
    }
    for v in &s.violations {
        outln!(
            "  ! polling rule: {} fetched again after {} s (minimum 900 s)",
            v.path,
            v.gap_seconds
        );
    }
}
