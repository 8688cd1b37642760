//! Trigger monitors as the front ends start them: the polling rule shown first, the template
//! filter checked before a monitor is armed (F47), and the words of a trigger event's
//! notification.

use serde::Serialize;

use super::{MonitorInfo, MonitorSink, MonitorSpec, Problem, Workspace};
use crate::triggers::{TriggerEvent, TriggerKind, MIN_INTERVAL_DOCUSIGN_SECS};

/// The shortest interval between polls for a connection, why, and the interval to suggest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntervalRule {
    /// The shortest interval allowed (900 s against DocuSign, 1 s in the sandbox).
    pub minimum_interval_seconds: u64,
    /// Why, in plain words.
    pub reason: String,
    /// What the form starts with.
    pub suggested_interval_seconds: u64,
}

impl Workspace {
    /// The polling rule of a connection's environment, shown before a monitor starts.
    ///
    /// # Errors
    /// `not_found`, config file errors.
    pub fn monitor_rule(&self, name: &str) -> Result<IntervalRule, Problem> {
        let conn = self.store.get(name)?;
        let (min, reason) = Self::interval_rule(&conn);
        let suggested = if min >= MIN_INTERVAL_DOCUSIGN_SECS {
            min
        } else {
            min.max(5)
        };
        Ok(IntervalRule {
            minimum_interval_seconds: min,
            reason,
            suggested_interval_seconds: suggested,
        })
    }

    /// Starts a trigger monitor after checking its connection works and (F47) that its
    /// template filter names a template of the connection's account. Its updates go to `sink`.
    ///
    /// # Errors
    /// The connection's setup problem, `template_not_in_account`, `template_check_failed`,
    /// `interval_too_short`.
    pub async fn arm_monitor(
        &self,
        spec: MonitorSpec,
        sink: MonitorSink,
    ) -> Result<MonitorInfo, Problem> {
        self.ready_client(&spec.connection).await?;
        if let Some(t) = spec.template_id.as_deref().filter(|t| !t.trim().is_empty()) {
            self.check_template(&spec.connection, t).await?;
        }
        self.start_monitor(spec, sink)
    }
}

/// A desktop notification's title and body for a trigger event.
pub fn notification_text(event: &TriggerEvent) -> (String, String) {
    let subject = event
        .email_subject
        .clone()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| format!("Envelope {}", short(&event.envelope_id)));
    // F43: a bounced recipient, whichever trigger saw it.
    if let Some(p) = &event.delivery_problem {
        return (
            "Delivery failure".into(),
            format!("“{subject}”: {} {}", p.message, p.fix),
        );
    }
    match (event.trigger, &event.recipient) {
        (TriggerKind::OnRecipientCompleted, Some(r)) => {
            let who = r
                .name
                .clone()
                .or_else(|| r.email.clone())
                .unwrap_or_else(|| format!("Recipient {}", r.recipient_id));
            let role = r
                .role_name
                .as_deref()
                .map(|x| format!(" ({x})"))
                .unwrap_or_default();
            (
                format!("{who} signed"),
                format!("{who}{role} finished signing “{subject}”."),
            )
        }
        _ => (
            format!("Envelope {}", event.status),
            format!("“{subject}” is now {}.", event.status),
        ),
    }
}

fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triggers::RecipientEvent;

    #[test]
    fn notifications_say_who_and_what() {
        let mut e = TriggerEvent {
            trigger: TriggerKind::OnEnvelopeStatusChange,
            event_id: "k".into(),
            envelope_id: "0123456789".into(),
            status: "completed".into(),
            status_changed_at: None,
            template_id: None,
            email_subject: Some("Please sign the Mutual NDA".into()),
            recipient: None,
            delivery_problem: None,
        };
        assert_eq!(
            notification_text(&e),
            (
                "Envelope completed".into(),
                "“Please sign the Mutual NDA” is now completed.".into()
            )
        );
        e.trigger = TriggerKind::OnRecipientCompleted;
        e.recipient = Some(RecipientEvent {
            recipient_id: "1".into(),
            name: Some("Ada".into()),
            email: None,
            role_name: Some("Signer 1".into()),
            recipient_type: "signer".into(),
            completed_at: None,
        });
        assert_eq!(notification_text(&e).0, "Ada signed");
        assert!(notification_text(&e)
            .1
            .contains("Ada (Signer 1) finished signing"));
        e.email_subject = None;
        assert!(notification_text(&e).1.contains("Envelope 01234567"));
    }
}
