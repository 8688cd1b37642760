//! Every error code the core can return, with a headline in plain words and a fix that fits
//! it: the one catalogue the desktop app (its notice titles, `ui/src/lib/bindings/codes.ts`,
//! generated from [`CATALOG`]) and the CLI share. A failure's own message and fix (naming the
//! host, the field, the envelope) come with the failure; the catalogue's fix is what is shown
//! when a failure has none of its own.
//!
//! `tests/message_audit.rs` walks every code the core's sources can return and checks that it
//! is here, with a headline and a fix, and that no desktop text names a CLI command, flag or
//! function.

use serde::Serialize;

/// Who will read a message: the CLI may name its own commands and flags
/// (`dsjwt public-key`, `--ca-cert`); the desktop app names screens and buttons instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    /// The `dsjwt` command line (the default: the CLI is the older caller).
    #[default]
    Cli,
    /// The desktop app.
    Desktop,
}

/// The fix for a DocuSign certificate this computer does not trust (`tls_untrusted` on a
/// DocuSign host): the usual cause is a company proxy or security software that inspects HTTPS
/// with its own certificate. The Studio trusts the operating system's certificate store as well
/// as its bundled list, so installing that certificate in the system store is the fix.
pub const TLS_INSPECTION_FIX: &str = "If this network has a company proxy or security software that inspects HTTPS, ask IT to install its certificate in this computer's trusted certificates (the Studio trusts them as well as its own list). Also check that the computer's date and time are right, then try again.";

/// One code: a headline for a notice and the fix when the failure brings none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeEntry {
    /// The stable machine code.
    pub code: &'static str,
    /// A short headline in plain words ("Could not reach DocuSign").
    pub title: &'static str,
    /// What to do, in plain words, with no CLI command in it.
    pub fix: &'static str,
}

const fn e(code: &'static str, title: &'static str, fix: &'static str) -> CodeEntry {
    CodeEntry { code, title, fix }
}

/// Every code the core returns (health steps, field checks, connections, the sandbox, actions
/// and their pre-send checks, the workspace), in no particular order.
pub const CATALOG: &[CodeEntry] = &[
    // Network and TLS: no answer at all.
    e("network_unreachable", "Could not reach the server", "Check the internet connection (or that a firewall or proxy lets the app through), then try again."),
    e("tls_untrusted", "The server's certificate is not trusted", "Check whether a proxy on this network intercepts HTTPS; for the sandbox, start it again."),
    e("docusign_unavailable", "DocuSign had a problem on its side", "Try again in a few minutes; status.docusign.com says when DocuSign has an outage."),
    e("ca_cert_invalid", "The sandbox's certificate file cannot be used", "Start the sandbox again: it writes a fresh certificate file."),
    e("ca_cert_unreadable", "The sandbox's certificate file cannot be read", "Start the sandbox again: it writes a fresh certificate file."),
    // Settings (health check's first step, and the wizard's fields).
    e("auth_server_invalid", "The environment's address is not usable", "Choose demo or production, or the sandbox."),
    e("base_uri_invalid", "The base URI is not usable", "Copy the Account Base URI from Apps and Keys > My Account Information, e.g. https://demo.docusign.net."),
    e("environment_mismatch", "The environment and the base URI do not match", "Use a base URI of the same environment (demo base URIs are on demo.docusign.net)."),
    e("integration_key_malformed", "The integration key is not an ID", "Copy the Integration Key again from Apps and Keys: it is 36 characters like 1a2b3c4d-1234-5678-9abc-0123456789ab."),
    e("user_id_malformed", "The user ID is not an ID", "Copy the API Username from Users and Groups > Users > (the user): 36 characters, not an email."),
    e("account_id_malformed", "The account ID is not an ID", "Copy the API Account ID from Apps and Keys > My Account Information: 36 characters, not the short account number."),
    e("user_id_equals_account_id", "The user ID is the account ID", "The user ID is the API Username from Users and Groups; the API Account ID is a different ID."),
    e("account_id_equals_user_id", "The account ID is the user ID", "Copy the API Account ID from Apps and Keys > My Account Information; the user ID is a different ID."),
    e("redirect_uri_invalid", "The redirect URI is not usable", "Copy a redirect URI registered on the integration key (Apps and Keys > your app > Redirect URIs), e.g. https://localhost/callback."),
    e("empty", "This field is empty", "Fill it in: \"Where do I find this?\" says where the value is."),
    // The key.
    e("key_load_failed", "The RSA private key cannot be used", "Paste the whole private key file again, BEGIN and END lines included, or generate a new key pair."),
    e("key_invalid", "The RSA private key cannot be used", "Paste the whole private key file again, BEGIN and END lines included, or generate a new key pair."),
    e("key_missing", "The private key is not in the keyring", "Paste the private key again (or generate a new key pair and register its public key on the integration key)."),
    e("key_generate_failed", "The key pair could not be made", "Try again; if it persists, create the key pair in DocuSign (Apps and Keys > your app > Add RSA Keypair) and paste its private key."),
    e("assertion_failed", "The JWT could not be signed", "Generate a new key pair and register its public key on the integration key."),
    // The token, userinfo, account, base URI.
    e("consent_required", "Consent is not given yet", "Open the consent page, sign in as the user of this connection and click Allow."),
    e("invalid_grant", "DocuSign refused the JWT", "Follow the fix under the step: it names the setting to change."),
    e("token_request_failed", "DocuSign refused the token request", "DocuSign's own words are under Details; check the settings, then try again."),
    e("userinfo_failed", "DocuSign did not say which accounts the user has", "Run the health check again; if it persists, DocuSign may be having problems."),
    e("no_accounts", "The user has no account", "Ask the account administrator to add this user to the account (Users and Groups > Add User)."),
    e("account_not_accessible", "The account is not this user's", "Pick one of the accounts the token can act on, or check the API Account ID."),
    e("base_uri_mismatch", "The base URI is not the account's", "Use the account's own base URI (from userinfo)."),
    // Connections and the keyring.
    e("keyring_unavailable", "The system keyring did not answer", "Start your desktop's keyring (GNOME Keyring or KWallet) or log in to a desktop session, then try again."),
    e("keyring_locked", "The system keyring is locked", "Unlock your keyring (Passwords and Keys > Login > Unlock), then try again."),
    e("keyring_failed", "The system keyring refused", "Try again; if it persists, open your keyring manager and look for the Studio's entries."),
    e("not_found", "No such connection", "Pick a connection from the list, or create it first."),
    e("invalid_name", "This name cannot be used", "Use letters, digits, spaces, dots, dashes or underscores."),
    e("duplicate_name", "A connection already has this name", "Choose another name, or edit the existing connection."),
    e("config_unreadable", "The saved connections cannot be read", "Check the permissions of the configuration folder."),
    e("config_corrupt", "The saved connections file is damaged", "Move the damaged file aside; the app starts with an empty list."),
    e("config_too_new", "The saved connections come from a newer version", "Update the app."),
    e("config_unwritable", "The connection could not be saved", "Check that the configuration folder is writable and the disk is not full."),
    e("config_busy", "Another window is saving connections", "Wait for the other Studio window or command-line run to finish, then try again."),
    e("browser_failed", "The browser could not be opened", "Copy the address and open it in your browser yourself."),
    e("state_file", "The app's data file cannot be used", "Check that the data folder is writable and not full."),
    e("internal", "The app hit an internal error", "Try again. If it keeps happening, restart the app."),
    e("unknown", "Something went wrong", "Try again. If it keeps happening, restart the app."),
    // The sandbox.
    e("sandbox_start_failed", "The sandbox could not start", "Try again; if it persists, restart the app."),
    e("sandbox_no_credentials", "The sandbox has no user", "This is a bug in the Studio: please report it."),
    e("sandbox_key_file", "The sandbox's key file could not be handled", "Check the permissions of the app's data folder."),
    e("sandbox_name_taken", "The name \"Sandbox\" is taken", "Rename your connection called Sandbox, then start the sandbox again."),
    e("sandbox_internal", "The sandbox hit an internal error", "This is a bug in the Studio: please report it."),
    e("sandbox_unreachable", "The sandbox is not running", "Start the sandbox again."),
    e("sandbox_refused", "The sandbox refused this move", "Pick an envelope that is out for signature."),
    e("not_sandbox", "Only the sandbox has these controls", "Switch to the Sandbox connection."),
    // Actions: DocuSign's answers.
    e("api", "DocuSign refused", "DocuSign's own words are shown; check the values given and try again."),
    e("auth", "No access token", "Run the health check: it names the problem with the token and its fix."),
    e("sign", "The JWT could not be signed", "Replace the key: generate a new key pair and register its public key."),
    e("rate_limited", "DocuSign's call limit is used up", "Wait until the limit resets, then call less often."),
    e("decode", "DocuSign's answer was not as expected", "Try again; if it persists, report it with the details."),
    e("io", "The file could not be written", "Choose a folder that exists and that you can write to."),
    e("paging", "The list did not end", "Narrow the list (a later start date, a status) and try again."),
    e("outcome_unknown", "No answer in time: DocuSign may have done it", "Check before trying again: list the envelopes sent in the last few minutes (or look at the envelope's status) and do it again only if it did not happen."),
    e("not_recorded", "The call was not sent: it could not be recorded", "Free some space on the disk holding the Studio's data folder, then try again: every call must be in the Go-Live ledger before it is sent."),
    e("usage", "A value is not right", "Correct the value marked, then try again."),
    e("validation", "The form does not match the template", "Correct the values marked, then check again."),
    // Actions: our own pre-send checks.
    e("role_not_in_template", "No such role in the template", "Pick the role from the template's list: names must match exactly."),
    e("role_is_fixed", "This role is fixed in the template", "Leave it empty to keep the template's recipient, or edit the template in DocuSign."),
    e("placeholder_role_missing", "A role has nobody yet", "Give a name and email for each role, or save a draft."),
    e("duplicate_role", "A role is given twice", "Give one person per role."),
    e("duplicate_tab", "A field is given twice", "Give each field one value."),
    e("tab_not_on_role", "No such field for this role", "Pick the field from the role's list: labels must match exactly."),
    e("tab_not_settable", "This field cannot be prefilled", "Leave it for the signer to fill in."),
    e("value_not_a_number", "This field takes a number", "Type a number, such as 12 or 12.5."),
    e("value_not_a_boolean", "This field is a checkbox", "Choose checked or unchecked."),
    e("value_not_in_list", "This value is not one of the choices", "Pick one of the field's choices."),
    e("email_malformed", "This is not an email address", "Type the whole address, like ada@example.com."),
    e("value_empty", "A value is empty", "Fill it in, or leave the field out."),
    e("empty_void_reason", "A reason is needed to void", "Say why: DocuSign shows the reason to the recipients."),
    e("void_invalid_state", "This envelope cannot be voided", "Only envelopes still out for signature (sent or delivered) can be voided: choose one of those. A completed, declined or voided envelope stays as it is."),
    e("empty_id", "An ID is empty", "Choose it from the list."),
    e("empty_role_person", "A person needs a name and an email", "Fill in both the name and the email, or leave both empty."),
    e("template_has_no_roles", "The template has no roles", "Add a role (a placeholder recipient) to the template in DocuSign first."),
    // Go-Live, triggers, promotion, downloads.
    e("warm_up_failed", "The warm-up stopped", "Look at the failed call in the Go-Live panel, fix its cause, then run the warm-up again."),
    e("interval_too_short", "The interval is too short", "Use at least the shortest interval shown beside the field."),
    e("already_production", "This is already a production connection", "Pick the demo connection to promote."),
    e("use_download", "Documents are downloaded with the download button", "Use \"Download a document\": it asks where to save."),
    e("download_folder", "The download folder cannot be used", "Choose another place with \"Choose where…\"."),
    e("redirect_uri_missing", "The connection has no redirect URI", "Edit the connection and add the redirect URI registered on the integration key."),
    e("www_base_uri", "This base URI is right only for some accounts", "Copy the Account Base URI from the production Admin Console (Apps and Keys > My Account Information)."),
    e("transport", "Could not reach the server", "Check the internet connection (or that a firewall or proxy lets the app through), then try again."),
    e("values_missing", "Values are missing from the pasted text", "Add the missing values to the text (with labels such as Integration Key:), then read it again."),
    e("save_location_unknown", "That place was not chosen here", "Use \"Choose where…\" to pick the place again."),
    e("application_token", "DocuSign issued an application token, not a user token", "Fill in the User ID (the API Username ID from Apps and Keys) of the user the integration acts for."),
    e("not_healthy", "The connection is not healthy", "Run the health check and fix what it reports; the values can be handed over once it passes."),
    e("key_changed", "The private key changed since the last health check", "Run the health check again, then copy the key."),
    e("clipboard_failed", "The clipboard could not be written", "Try again. If it keeps failing, the desktop may have no clipboard service running."),
    e("role_type_unsupported", "This kind of template role cannot be filled here", "Fill this role in DocuSign's web app, or use a template whose roles are signers, carbon copies or in-person signers."),
    e("in_person_signer_name_missing", "The in-person signer's name is missing", "Give the signer's name (who signs on the host's device) as well as the host's name and email."),
    e("in_person_signer_name_too_long", "The in-person signer's name is too long", "Shorten the name to at most 100 characters."),
    e("not_in_person", "This role is not an in-person signer", "Give only a name and an email for this role."),
];

/// The catalogue entry of `code`, if it has one.
pub fn entry(code: &str) -> Option<&'static CodeEntry> {
    CATALOG.iter().find(|e| e.code == code)
}

/// The headline of `code` (a generic one for a code the catalogue lacks).
pub fn title(code: &str) -> &'static str {
    entry(code).map_or("It did not work", |e| e.title)
}

/// The catalogue's fix for `code` (a generic one for a code the catalogue lacks).
pub fn fix(code: &str) -> &'static str {
    entry(code).map_or("Try again. If it keeps happening, restart the app.", |e| {
        e.fix
    })
}

/// Why `text` cannot be shown in the desktop app: it names a CLI command (`dsjwt …`), a CLI
/// flag (`--ca-cert`), or a function or action name (`get_template_roles`); `None` when clean.
pub fn cli_words(text: &str) -> Option<String> {
    if let Some(i) = text.find("dsjwt") {
        return Some(format!(
            "names the CLI: \"{}\"",
            &text[i..(i + 24).min(text.len())]
        ));
    }
    for w in text.split(|c: char| c.is_whitespace() || "()[]{},;`\"'".contains(c)) {
        let w = w.trim_end_matches(['.', ':', '!', '?']);
        if w.len() > 2
            && w.starts_with("--")
            && w[2..].starts_with(|c: char| c.is_ascii_lowercase())
        {
            return Some(format!("names a CLI flag: {w}"));
        }
        // Action and command names (`get_template_roles`): the desktop names screens instead.
        if ACTION_NAMES.contains(&w) {
            return Some(format!("names a function: {w}"));
        }
    }
    None
}

/// The action and command names a desktop text must not show.
const ACTION_NAMES: &[&str] = &[
    "list_envelopes",
    "get_envelope",
    "download_document",
    "send_envelope_from_template",
    "preview_envelope_from_template",
    "void_envelope",
    "get_recipient_status",
    "list_templates",
    "get_template_roles",
    "get_tab_values",
    "run_action",
    "run_health_check",
    "confirm_consent",
    "start_sandbox",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_words_are_found() {
        assert!(cli_words("Run `dsjwt check` for the cause.").is_some());
        assert!(cli_words("Pass its CA certificate (--ca-cert FILE).").is_some());
        assert!(cli_words("get_template_roles lists them.").is_some());
        assert!(cli_words("Could not reach account-d.docusign.com: no connection.").is_none());
        assert!(cli_words("Dates like 2026-03-31 -- or later.").is_none());
    }

    #[test]
    fn codes_are_unique() {
        for (i, a) in CATALOG.iter().enumerate() {
            assert!(
                CATALOG[i + 1..].iter().all(|b| b.code != a.code),
                "{} twice",
                a.code
            );
        }
    }
}
