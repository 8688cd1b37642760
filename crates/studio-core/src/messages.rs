//! Every error code the core can return, with a headline in plain words and a fix that fits
//! it: the one catalogue the desktop app (its notice titles, `ui/src/lib/bindings/codes.ts`,
//! generated from [`CATALOG`]) and the CLI share. A failure's own message and fix (naming the
//! host, the field, the envelope) come with the failure; the catalogue's fix is what is shown
//! when a failure has none of its own.
//!
//! `tests/message_audit.rs` walks every code the core's sources can return and checks that it
//! is here, with a headline and a fix, and that no desktop text names a CLI command, flag or
//! function.

use crate::problem::Code;
use serde::Serialize;

/// Who will read a message (the support bundle names the program that wrote it). The shared
/// layer's messages are the same for both: a front end adds its own words through
/// [`crate::problem::Hint`].
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
    pub code: Code,
    /// A short headline in plain words ("Could not reach DocuSign").
    pub title: &'static str,
    /// What to do, in plain words, with no CLI command in it.
    pub fix: &'static str,
}

const fn e(code: Code, title: &'static str, fix: &'static str) -> CodeEntry {
    CodeEntry { code, title, fix }
}

/// Every code the core returns (health steps, field checks, connections, the sandbox, actions
/// and their pre-send checks, the workspace), in no particular order.
pub const CATALOG: &[CodeEntry] = &[
    // Network and TLS: no answer at all.
    e(Code::NetworkUnreachable, "Could not reach the server", "Check the internet connection (or that a firewall or proxy lets the app through), then try again."),
    e(Code::TlsUntrusted, "The server's certificate is not trusted", "Check whether a proxy on this network intercepts HTTPS; for the sandbox, start it again."),
    e(Code::DocusignUnavailable, "DocuSign had a problem on its side", "Try again in a few minutes; status.docusign.com says when DocuSign has an outage."),
    e(Code::CaCertInvalid, "The sandbox's certificate file cannot be used", "Start the sandbox again: it writes a fresh certificate file."),
    e(Code::CaCertUnreadable, "The sandbox's certificate file cannot be read", "Start the sandbox again: it writes a fresh certificate file."),
    // Settings (health check's first step, and the wizard's fields).
    e(Code::AuthServerInvalid, "The environment's address is not usable", "Choose demo or production, or the sandbox."),
    e(Code::BaseUriInvalid, "The base URI is not usable", "Copy the Account Base URI from Apps and Keys > My Account Information, e.g. https://demo.docusign.net."),
    e(Code::EnvironmentMismatch, "The environment and the base URI do not match", "Use a base URI of the same environment (demo base URIs are on demo.docusign.net)."),
    e(Code::IntegrationKeyMalformed, "The integration key is not an ID", "Copy the Integration Key again from Apps and Keys: it is 36 characters like 1a2b3c4d-1234-5678-9abc-0123456789ab."),
    e(Code::UserIdMalformed, "The user ID is not an ID", "Copy the API Username from Users and Groups > Users > (the user): 36 characters, not an email."),
    e(Code::AccountIdMalformed, "The account ID is not an ID", "Copy the API Account ID from Apps and Keys > My Account Information: 36 characters, not the short account number."),
    e(Code::UserIdEqualsAccountId, "The user ID is the account ID", "The user ID is the API Username from Users and Groups; the API Account ID is a different ID."),
    e(Code::AccountIdEqualsUserId, "The account ID is the user ID", "Copy the API Account ID from Apps and Keys > My Account Information; the user ID is a different ID."),
    e(Code::RedirectUriInvalid, "The redirect URI is not usable", "Copy a redirect URI registered on the integration key (Apps and Keys > your app > Redirect URIs), e.g. https://localhost/callback."),
    e(Code::Empty, "This field is empty", "Fill it in with the value from DocuSign's admin pages (Apps and Keys, or Users and Groups)."),
    // The key.
    e(Code::KeyLoadFailed, "The RSA private key cannot be used", "Give the whole private key file again, BEGIN and END lines included, or generate a new key pair."),
    e(Code::KeyInvalid, "The RSA private key cannot be used", "Give the whole private key file again, BEGIN and END lines included, or generate a new key pair."),
    e(Code::KeyMissing, "The private key is not in the keyring", "Give the private key again (or generate a new key pair and register its public key on the integration key)."),
    e(Code::KeyGenerateFailed, "The key pair could not be made", "Try again; if it persists, create the key pair in DocuSign (Apps and Keys > your app > Add RSA Keypair) and use its private key."),
    e(Code::AssertionFailed, "The JWT could not be signed", "Generate a new key pair and register its public key on the integration key."),
    // The token, userinfo, account, base URI.
    e(Code::ConsentRequired, "Consent is not given yet", "Open the consent page, sign in as the user of this connection and click Allow."),
    e(Code::InvalidGrant, "DocuSign did not accept the app's sign-in", "Follow the fix under the step: it names the setting to change."),
    e(Code::TokenRequestFailed, "DocuSign refused the token request", "DocuSign's own words are under Details; check the settings, then try again."),
    e(Code::UserinfoFailed, "DocuSign did not say which accounts the user has", "Run the health check again; if it persists, DocuSign may be having problems."),
    e(Code::NoAccounts, "The user has no account", "Ask the account administrator to add this user to the account (Users and Groups > Add User)."),
    e(Code::AccountNotAccessible, "The account is not this user's", "Pick one of the accounts the token can act on, or check the API Account ID."),
    e(Code::BaseUriMismatch, "The base URI is not the account's", "Use the account's own base URI (from userinfo)."),
    // Connections and the keyring.
    e(Code::KeyringUnavailable, "The system keyring did not answer", "Start your desktop's keyring (GNOME Keyring or KWallet) or log in to a desktop session, then try again."),
    e(Code::KeyringLocked, "The system keyring is locked", "Unlock your keyring (Passwords and Keys > Login > Unlock), then try again."),
    e(Code::KeyringFailed, "The system keyring refused", "Try again; if it persists, open your keyring manager and look for the Studio's entries."),
    e(Code::NotFound, "No such connection", "Pick a connection from the list, or create it first."),
    e(Code::InvalidName, "This name cannot be used", "Use letters, digits, spaces, dots, dashes or underscores."),
    e(Code::DuplicateName, "A connection already has this name", "Choose another name, or edit the existing connection."),
    e(Code::ConfigUnreadable, "The saved connections cannot be read", "Check the permissions of the configuration folder."),
    e(Code::ConfigCorrupt, "The saved connections file is damaged", "Move the damaged file aside; the app starts with an empty list."),
    e(Code::ConfigTooNew, "The saved connections come from a newer version", "Update the app."),
    e(Code::ConfigUnwritable, "The connection could not be saved", "Check that the configuration folder is writable and the disk is not full."),
    e(Code::ConfigBusy, "Another window is saving connections", "Wait for the other Studio window or command-line run to finish, then try again."),
    e(Code::BrowserFailed, "The browser could not be opened", "Copy the address and open it in your browser yourself."),
    e(Code::StateFile, "The app's data file cannot be used", "Check that the data folder is writable and not full."),
    e(Code::Internal, "The app hit an internal error", "Try again. If it keeps happening, restart the app."),
    e(Code::Unknown, "Something went wrong", "Try again. If it keeps happening, restart the app."),
    // The sandbox.
    e(Code::SandboxStartFailed, "The sandbox could not start", "Try again; if it persists, restart the app."),
    e(Code::SandboxNoCredentials, "The sandbox has no user", "This is a bug in the Studio: please report it."),
    e(Code::SandboxKeyFile, "The sandbox's key file could not be handled", "Check the permissions of the app's data folder."),
    e(Code::SandboxNameTaken, "The name \"Sandbox\" is taken", "Rename your connection called Sandbox, then start the sandbox again."),
    e(Code::SandboxInternal, "The sandbox hit an internal error", "This is a bug in the Studio: please report it."),
    e(Code::SandboxUnreachable, "The sandbox is not running", "Start the sandbox again."),
    e(Code::SandboxRefused, "The sandbox refused this move", "Pick an envelope that is out for signature."),
    e(Code::NotSandbox, "Only the sandbox has these controls", "Switch to the Sandbox connection."),
    // Actions: DocuSign's answers.
    e(Code::Api, "DocuSign refused", "DocuSign's own words are shown; check the values given and try again."),
    e(Code::Auth, "No access token", "Run the health check: it names the problem with the token and its fix."),
    e(Code::Sign, "The JWT could not be signed", "Replace the key: generate a new key pair and register its public key."),
    e(Code::RateLimited, "DocuSign's call limit is used up", "Wait until the limit resets, then call less often."),
    e(Code::Decode, "DocuSign's answer was not as expected", "Try again; if it persists, report it with the details."),
    e(Code::Io, "The file could not be written", "Choose a folder that exists and that you can write to."),
    e(Code::Paging, "The list did not end", "Narrow the list (a later start date, a status) and try again."),
    e(Code::OutcomeUnknown, "No answer in time: DocuSign may have done it", "Check before trying again: list the envelopes sent in the last few minutes (or look at the envelope's status) and do it again only if it did not happen."),
    e(Code::NotRecorded, "The call was not sent: it could not be recorded", "Free some space on the disk holding the Studio's data folder, then try again: every call must be in the Go-Live ledger before it is sent."),
    e(Code::Usage, "A value is not right", "Correct the value marked, then try again."),
    e(Code::Validation, "The form does not match the template", "Correct the values marked, then check again."),
    // Actions: our own pre-send checks.
    e(Code::RoleNotInTemplate, "No such role in the template", "Pick the role from the template's list: names must match exactly."),
    e(Code::RoleIsFixed, "This role is fixed in the template", "Leave it empty to keep the template's recipient, or edit the template in DocuSign."),
    e(Code::PlaceholderRoleMissing, "A role has nobody yet", "Give a name and email for each role, or save a draft."),
    e(Code::DuplicateRole, "A role is given twice", "Give one person per role."),
    e(Code::DuplicateTab, "A field is given twice", "Give each field one value."),
    e(Code::TabNotOnRole, "No such field for this role", "Pick the field from the role's list: labels must match exactly."),
    e(Code::TabNotSettable, "This field cannot be prefilled", "Leave it for the signer to fill in."),
    e(Code::ValueNotANumber, "This field takes a number", "Type a number, such as 12 or 12.5."),
    e(Code::ValueNotABoolean, "This field is a checkbox", "Choose checked or unchecked."),
    e(Code::ValueNotInList, "This value is not one of the choices", "Pick one of the field's choices."),
    e(Code::EmailMalformed, "This is not an email address", "Type the whole address, like ada@example.com."),
    e(Code::ValueEmpty, "A value is empty", "Fill it in, or leave the field out."),
    e(Code::EmailBounced, "A recipient's email bounced", "Correct the email address in DocuSign (open the envelope, Correct, fix the recipient's email), then resend; or void it and send a new envelope to the right address."),
    e(Code::EmptyVoidReason, "A reason is needed to void", "Say why: DocuSign shows the reason to the recipients."),
    e(Code::VoidInvalidState, "This envelope cannot be voided", "Only envelopes still out for signature (sent or delivered) can be voided: choose one of those. A completed, declined or voided envelope stays as it is."),
    e(Code::EmptyId, "An ID is empty", "Choose it from the list."),
    e(Code::EmptyRolePerson, "A person needs a name and an email", "Fill in both the name and the email, or leave both empty."),
    e(Code::TemplateHasNoRoles, "The template has no roles", "Add a role (a placeholder recipient) to the template in DocuSign first."),
    // Go-Live, triggers, promotion, downloads.
    e(Code::WarmUpFailed, "The warm-up stopped", "Look at the failed call among the recent Go-Live calls, fix its cause, then run the warm-up again."),
    e(Code::IntervalTooShort, "The interval is too short", "Use at least the shortest interval shown beside the field."),
    e(Code::AlreadyProduction, "This is already a production connection", "Pick the demo connection to promote."),
    e(Code::UseDownload, "A document has its own download", "Download the document on its own: that asks where to save it."),
    e(Code::DownloadFolder, "The download folder cannot be used", "Choose another place to save in."),
    e(Code::RedirectUriMissing, "The connection has no redirect URI", "Edit the connection and add the redirect URI registered on the integration key."),
    e(Code::WwwBaseUri, "This base URI is right only for some accounts", "Copy the Account Base URI from the production Admin Console (Apps and Keys > My Account Information)."),
    e(Code::Transport, "Could not reach the server", "Check the internet connection (or that a firewall or proxy lets the app through), then try again."),
    e(Code::ValuesMissing, "Values are missing from the pasted text", "Add the missing values to the text (with labels such as Integration Key:), then read it again."),
    e(Code::SaveLocationUnknown, "That place was not chosen here", "Choose the place to save again."),
    e(Code::ApplicationToken, "DocuSign issued an application token, not a user token", "Fill in the User ID (the API Username ID from Apps and Keys) of the user the integration acts for."),
    e(Code::NotHealthy, "The connection is not healthy", "Run the health check and fix what it reports; the values can be handed over once it passes."),
    e(Code::KeyChanged, "The private key changed since the last health check", "Run the health check again, then copy the key."),
    e(Code::ClipboardFailed, "The clipboard could not be written", "Try again. If it keeps failing, the desktop may have no clipboard service running."),
    e(Code::RoleTypeUnsupported, "This kind of template role cannot be filled here", "Fill this role in DocuSign's web app, or use a template whose roles are signers, carbon copies or in-person signers."),
    e(Code::InPersonSignerNameMissing, "The in-person signer's name is missing", "Give the signer's name (who signs on the host's device) as well as the host's name and email."),
    e(Code::InPersonSignerNameTooLong, "The in-person signer's name is too long", "Shorten the name to at most 100 characters."),
    e(Code::ConnectionAmbiguous, "Which connection is this about?", "Name the connection the bundle is about (several are saved)."),
    e(Code::BundleWriteFailed, "The support bundle could not be written", "Choose a folder you can write to, with some free space."),
    e(Code::TemplateNotInAccount, "The template is not in this account", "Pick the template again from this connection's template list: templates are not copied at Go-Live."),
    e(Code::DocumentNotInEnvelope, "The envelope has no such document", "Use one of the envelope's document numbers, or combined, archive, certificate or portfolio."),
    e(Code::RecipientNotInEnvelope, "The envelope has no such recipient", "Use one of the envelope's recipient IDs, or leave the recipient out to get every recipient's values."),
    e(Code::DownloadDestination, "The place to save the document cannot be used", "Choose a folder that exists and that you can write to."),
    e(Code::TemplateCheckFailed, "The template could not be checked", "Pick the template again from this connection's template list."),
    e(Code::NotInPerson, "This role is not an in-person signer", "Give only a name and an email for this role."),
];

/// The catalogue entry of `code`, if it has one.
pub fn entry(code: Code) -> Option<&'static CodeEntry> {
    CATALOG.iter().find(|e| e.code == code)
}

/// The headline of `code` (a generic one for a code the catalogue lacks).
pub fn title(code: Code) -> &'static str {
    entry(code).map_or("It did not work", |e| e.title)
}

/// The catalogue's fix for `code` (a generic one for a code the catalogue lacks).
pub fn fix(code: Code) -> &'static str {
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
    fn every_code_but_ok_and_skipped_has_an_entry() {
        for c in Code::ALL {
            match c {
                Code::Ok | Code::Skipped => assert!(entry(*c).is_none(), "{c}"),
                _ => assert!(entry(*c).is_some(), "{c} has no catalogue entry"),
            }
        }
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
