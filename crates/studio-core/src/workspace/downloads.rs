//! Actions as the front ends run them: one action with its Go-Live effect, and a document
//! download placed by the location policy ([`crate::downloads`]) with progress reports.

use std::future::Future;
use std::path::PathBuf;

use super::{ActionOutcome, Code, Problem, Workspace};
use crate::actions::ActionRequest;
use crate::downloads::{safe_file_name, throttled_progress, DownloadProgress};
use crate::envelope_answers::FetchPolicy;

/// A document download as the desktop asks for it: [`DownloadAsk::new`] names the document,
/// [`DownloadAsk::to`] the place. From the UI: `{name, envelopeId, documentId, fileName,
/// saveTo?, certificate?}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DownloadAsk {
    /// The saved connection.
    pub name: String,
    /// The envelope.
    pub envelope_id: String,
    /// A number, `combined`, `archive`, `certificate` or `portfolio`.
    pub document_id: String,
    /// The name to save under in the default folder (made safe and unique).
    pub file_name: String,
    /// A file chosen with [`Workspace::choose_save_location`], instead of the default folder.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub save_to: Option<String>,
    /// Whether to add the certificate of completion (combined documents).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub certificate: Option<bool>,
}

impl DownloadAsk {
    /// The document `document_id` of `envelope_id` on the saved connection `name`, saved in the
    /// default folder under a name chosen later.
    pub fn new(
        name: String,
        envelope_id: String,
        document_id: String,
        certificate: Option<bool>,
    ) -> DownloadAsk {
        DownloadAsk {
            name,
            envelope_id,
            document_id,
            file_name: String::new(),
            save_to: None,
            certificate,
        }
    }

    /// Saved as `file_name` in the default folder, or at `save_to` when the person chose a file.
    pub fn to(self, file_name: String, save_to: Option<String>) -> DownloadAsk {
        DownloadAsk {
            file_name,
            save_to,
            ..self
        }
    }
}

impl Workspace {
    /// Runs one action and says what it did to the Go-Live streak. A failed action is an
    /// answer (`failure` set), not an error; a setup problem comes back inside the outcome, in
    /// the action's words. Envelope answers of the last 15 minutes are reused unless `policy`
    /// is `fetch_anyway` (the person was told it counts as polling).
    ///
    /// # Errors
    /// `use_download` for a download (see [`Workspace::download_document`]).
    pub async fn action(
        &self,
        name: &str,
        request: &ActionRequest,
        policy: Option<FetchPolicy>,
    ) -> Result<ActionOutcome, Problem> {
        if matches!(request, ActionRequest::DownloadDocument { .. }) {
            return Err(Problem::new(
                Code::UseDownload,
                "A document is not downloaded as an action: it has its own download.",
                "Download the document on its own: that asks where to save it.",
            ));
        }
        let _ = self.ready_client(name).await;
        let policy = policy.unwrap_or_default();
        let o = self.run_action_with(name, request, policy, |_, _| {}).await;
        tracing::info!(action = request.name(), ok = o.failure.is_none(), code = ?o.failure.as_ref().map(|f| f.code.as_str()), streak = %o.streak.summary, "action");
        Ok(o)
    }

    /// Asks where to save a download with `ask` (a save dialog given a safe file name and the
    /// default folder) and remembers the answer: [`Workspace::download_document`] writes only
    /// there or in the default folder. `None` when the person cancelled.
    pub async fn choose_save_location<F: Future<Output = Option<PathBuf>>>(
        &self,
        file_name: &str,
        ask: impl FnOnce(String, PathBuf) -> F,
    ) -> Option<String> {
        let folder = self.downloads.folder().to_path_buf();
        let picked = ask(safe_file_name(file_name), folder).await?;
        Some(self.downloads.remember(picked))
    }

    /// Downloads a document to the place the person chose or, by default, into the default
    /// folder (made unique), reporting progress (as `download_id`) at most every 100 ms and at
    /// the end.
    ///
    /// # Errors
    /// `save_location_unknown`, `download_folder` (before any call). A failed download is an
    /// answer (`failure` set).
    pub async fn download_document(
        &self,
        ask: DownloadAsk,
        download_id: String,
        report: impl Fn(DownloadProgress),
    ) -> Result<ActionOutcome, Problem> {
        let out = self
            .downloads
            .target(ask.save_to.as_deref(), &ask.file_name)?;
        let _ = self.ready_client(&ask.name).await;
        let request = ActionRequest::DownloadDocument {
            envelope_id: ask.envelope_id,
            document_id: ask.document_id,
            out,
            certificate: ask.certificate,
        };
        let progress = throttled_progress(download_id, report);
        let o = self.run_action(&ask.name, &request, progress).await;
        tracing::info!(action = "download_document", ok = o.failure.is_none(), code = ?o.failure.as_ref().map(|f| f.code.as_str()), "action");
        Ok(o)
    }
}
