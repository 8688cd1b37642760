//! DocuSign's documented length limits of what a send from a template carries, checked before
//! any call (the eSignature OpenAPI spec, `envelopeDefinition`, `templateRole`, `signer`,
//! `carbonCopy`, `textCustomField`). Lengths are counted in characters (Unicode scalar values),
//! the subject after its merge fields are replaced by what they stand for.

use super::error::ValidationProblem;

/// `envelopeDefinition.emailSubject`: "limited to 100 characters, including any merged fields …
/// It is an error if the text is longer than 100 characters."
pub const EMAIL_SUBJECT_MAX: usize = 100;
/// `envelopeDefinition.emailBlurb` (the email message): "Maximum Length: 10000 characters."
pub const EMAIL_BLURB_MAX: usize = 10_000;
/// `signer.name` / `carbonCopy.name` (a template role's person): "Maximum Length: 100 characters."
pub const RECIPIENT_NAME_MAX: usize = 100;
/// `signer.email` / `carbonCopy.email`: "Maximum length: 100 characters."
pub const RECIPIENT_EMAIL_MAX: usize = 100;
/// `templateRole.inPersonSignerName`: "Maximum Length: 100 characters."
pub const IN_PERSON_SIGNER_NAME_MAX: usize = 100;
/// `textCustomField.value`: "Maximum length: 100 characters."
pub const TEXT_CUSTOM_FIELD_VALUE_MAX: usize = 100;
/// A tab's `tabLabel`: "Maximum Length: 500 characters."
pub const TAB_LABEL_MAX: usize = 500;

/// Characters, as DocuSign counts them.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The subject as recipients get it: `[[<roleName>_UserName]]` and `[[<roleName>_Email]]`
/// (the spec's "Template Email Subject Merge Fields") replaced by the person given for that
/// role; a merge field of a role not given stays as written.
pub fn expand_subject(subject: &str, people: &[(&str, &str, &str)]) -> String {
    let mut out = subject.to_string();
    for (role, name, email) in people {
        out = out.replace(&format!("[[{role}_UserName]]"), name);
        out = out.replace(&format!("[[{role}_Email]]"), email);
    }
    out
}

fn too_long(
    code: &'static str,
    what: &str,
    len: usize,
    max: usize,
    extra: &str,
) -> ValidationProblem {
    ValidationProblem::new(
        code,
        format!(
            "{what} is {len} characters long; DocuSign accepts at most {max} characters{extra}: shorten it by {} character{}",
            len - max,
            if len - max == 1 { "" } else { "s" }
        ),
    )
}

/// One person of a send: the template role, the name and the email given for it.
#[derive(Debug, Clone, Copy)]
pub struct Person<'a> {
    /// The template role.
    pub role_name: &'a str,
    /// The person's name.
    pub name: &'a str,
    /// The person's email.
    pub email: &'a str,
}

/// Every documented length limit a send breaks (empty when none): its `subject`
/// (`emailSubject`), `message` (`emailBlurb`) and `people`. Pure: no call is made.
///
/// Codes: `subject_too_long`, `message_too_long`, `name_too_long`, `email_too_long`.
pub fn check_lengths(
    subject: Option<&str>,
    message: Option<&str>,
    people: &[Person<'_>],
) -> Vec<ValidationProblem> {
    let mut problems = Vec::new();
    if let Some(subject) = subject.map(str::trim) {
        let fields: Vec<(&str, &str, &str)> = people
            .iter()
            .map(|p| (p.role_name, p.name.trim(), p.email.trim()))
            .collect();
        let expanded = expand_subject(subject, &fields);
        let len = char_len(&expanded);
        if len > EMAIL_SUBJECT_MAX {
            let extra = if expanded != subject {
                " (merge fields count as the names and emails they become)"
            } else {
                ""
            };
            problems.push(too_long(
                "subject_too_long",
                "The email subject",
                len,
                EMAIL_SUBJECT_MAX,
                extra,
            ));
        }
    }
    if let Some(blurb) = message {
        let len = char_len(blurb);
        if len > EMAIL_BLURB_MAX {
            problems.push(too_long(
                "message_too_long",
                "The email message",
                len,
                EMAIL_BLURB_MAX,
                "",
            ));
        }
    }
    for p in people {
        let len = char_len(p.name.trim());
        if len > RECIPIENT_NAME_MAX {
            problems.push(too_long(
                "name_too_long",
                &format!("The name for role '{}'", p.role_name),
                len,
                RECIPIENT_NAME_MAX,
                "",
            ));
        }
        let len = char_len(p.email.trim());
        if len > RECIPIENT_EMAIL_MAX {
            problems.push(too_long(
                "email_too_long",
                &format!("The email for role '{}'", p.role_name),
                len,
                RECIPIENT_EMAIL_MAX,
                "",
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADA: Person<'static> = Person {
        role_name: "Signer 1",
        name: "Ada Lovelace",
        email: "ada@example.com",
    };

    fn subject(s: &str) -> Vec<ValidationProblem> {
        check_lengths(Some(s), None, &[ADA])
    }

    #[test]
    fn subject_over_100_characters_is_refused_naming_the_limit() {
        assert!(subject(&"x".repeat(100)).is_empty());
        let p = subject(&"x".repeat(101));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].code, "subject_too_long");
        assert!(p[0].message.contains("101 characters"), "{}", p[0].message);
        assert!(p[0].message.contains("at most 100"), "{}", p[0].message);
        // Characters, not bytes: 100 × "é" is within the limit.
        assert!(subject(&"é".repeat(100)).is_empty());
    }

    #[test]
    fn subject_merge_fields_count_as_what_they_become() {
        // 90 characters + "[[Signer 1_UserName]]" (21) = 111 as written, 102 once expanded
        // ("Ada Lovelace" is 12).
        let p = subject(&format!("{}[[Signer 1_UserName]]", "x".repeat(90)));
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("102 characters"), "{}", p[0].message);
        assert!(p[0].message.contains("merge fields"), "{}", p[0].message);
        // 80 + 21 = 101 as written, but 92 once expanded: accepted.
        assert!(subject(&format!("{}[[Signer 1_UserName]]", "x".repeat(80))).is_empty());
    }

    #[test]
    fn recipient_and_message_limits() {
        let name = "n".repeat(101);
        let email = format!("{}@example.com", "e".repeat(90));
        let long = Person {
            role_name: "Signer 1",
            name: &name,
            email: &email,
        };
        let blurb = "m".repeat(10_001);
        let codes: Vec<&str> = check_lengths(Some("ok"), Some(&blurb), &[long])
            .iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(
            codes,
            ["message_too_long", "name_too_long", "email_too_long"]
        );
    }
}
