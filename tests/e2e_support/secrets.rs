//! The leak check: searches text (config files, logs, IPC answers) for private-key material
//! and access tokens. Public keys are allowed: the app shows them on purpose.

/// One thing found where it must not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where (file path, `ipc:<command>`).
    pub source: String,
    /// What, without echoing the secret.
    pub what: String,
}

fn is_b64_body_line(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 40 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=')
        // a GUID-free, space-free base64 run of PEM width with both cases and digits
        && t.chars().any(|c| c.is_ascii_lowercase())
        && t.chars().any(|c| c.is_ascii_uppercase())
        && t.chars().any(|c| c.is_ascii_digit())
}

/// Removes public-key and certificate PEM blocks (they are public: the app shows public keys on
/// purpose, and the sandbox's CA certificate is a trust anchor, not a secret).
fn without_public_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_public = false;
    for line in text.split(['\n', '\r']) {
        let t = line.trim();
        if t.contains("-----BEGIN PUBLIC KEY-----")
            || t.contains("-----BEGIN RSA PUBLIC KEY-----")
            || t.contains("-----BEGIN CERTIFICATE-----")
        {
            in_public = true;
        }
        if !in_public {
            out.push_str(line);
            out.push('\n');
        }
        if in_public
            && (t.contains("-----END PUBLIC KEY-----")
                || t.contains("-----END RSA PUBLIC KEY-----")
                || t.contains("-----END CERTIFICATE-----"))
        {
            in_public = false;
        }
    }
    out
}

/// True when `text` holds a PEM block that is not a public key or certificate: an armour line
/// (`-----BEGIN <label>-----`) followed by a base64 body. Naming the armour in an instruction
/// ("it starts with the BEGIN RSA PRIVATE KEY line") is not key material.
fn has_secret_pem_block(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find("-----BEGIN ") {
        let after = &rest[i + "-----BEGIN ".len()..];
        let Some(end) = after.find("-----") else {
            break;
        };
        let label = &after[..end];
        let body = after[end + 5..].trim_start();
        let run = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/' || *c == '=')
            .count();
        if !label.contains("PUBLIC KEY") && !label.contains("CERTIFICATE") && run >= 40 {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// Scans one text. `known` are exact secrets (private-key body lines, tokens) to look for too.
pub fn scan(source: &str, text: &str, known: &[String]) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut add = |what: &str| {
        found.push(Finding {
            source: source.to_string(),
            what: what.to_string(),
        })
    };
    // JSON answers carry newlines escaped.
    let unescaped = text.replace("\\n", "\n").replace("\\r", "\r");
    if has_secret_pem_block(&unescaped) {
        add("a PEM private-key block (-----BEGIN … followed by a base64 body)");
    }
    let t = without_public_keys(&unescaped);
    // "Bearer" followed by a token (the words "JWT Bearer Grant" are not one).
    let bearer_token = t.split("Bearer ").skip(1).any(|rest| {
        rest.chars()
            .take_while(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '=')
            })
            .count()
            >= 16
    });
    if t.contains("access_token") || bearer_token {
        add("an access token (access_token / Bearer)");
    }
    if t.contains("eyJ")
        && t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .any(|w| w.starts_with("eyJ") && w.matches('.').count() == 2)
    {
        add("a JWT (eyJ….….…)");
    }
    if t.lines().any(is_b64_body_line) {
        add("a base64 line of PEM width (a key body line)");
    }
    for k in known {
        let k = k.trim();
        if k.len() >= 16 && t.contains(k) {
            add("a known secret value (private-key body line or token)");
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn armour(label: &str, begin: bool) -> String {
        format!("-----{} {label}-----", if begin { "BEGIN" } else { "END" })
    }

    #[test]
    fn finds_private_keys_and_tokens_but_not_public_keys() {
        let body = "MIIEowIBAAKCAQEAxL0y8Yf3kq9Zb2hQ1r7n5Wc3aVt0uJ9pXcGzRq1wE4sT7dLm";
        let private = format!(
            "{}\n{body}\n{}",
            armour("RSA PRIVATE KEY", true),
            armour("RSA PRIVATE KEY", false)
        );
        assert!(!scan("x", &private, &[]).is_empty());
        assert!(!scan(
            "x",
            &format!("{{\"k\":\"{}\"}}", private.replace('\n', "\\n")),
            &[]
        )
        .is_empty());
        assert!(!scan("x", "{\"access_token\":\"abc\"}", &[]).is_empty());
        assert!(!scan(
            "x",
            "Authorization: Bearer eyJ0eXAiOiJNVCIsImFsZyI6IlJTMjU2In0abc",
            &[]
        )
        .is_empty());
        assert_eq!(
            scan(
                "x",
                "OAuth v2 for REST, JWT Bearer Grant (no App Passwords)",
                &[]
            ),
            vec![]
        );
        assert!(!scan(
            "x",
            "token eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln end",
            &[]
        )
        .is_empty());
        assert!(!scan("x", &format!("a line {body}"), &[body.to_string()]).is_empty());
        let public = format!(
            "{}\n{body}\n{}",
            armour("PUBLIC KEY", true),
            armour("PUBLIC KEY", false)
        );
        assert_eq!(scan("x", &public, &[]), vec![]);
        // An instruction that names the armour is not key material.
        let words = format!(
            "Paste the private key (it starts with {}).",
            armour("RSA PRIVATE KEY", true)
        );
        assert_eq!(scan("x", &words, &[]), vec![]);
        assert_eq!(scan("x", "{\"key_fingerprint\":\"SHA256:3q2+7w==\",\"integration_key\":\"0f8e3c52-6a6f-4b8e-9a55-2d5c6f0b1a01\"}", &[]), vec![]);
    }
}
