//! "Save a support bundle…": what goes in (listed before saving), where to save it (asked of
//! the front end), then the zip ([`crate::support`]; the same bundle for the app and the CLI).

use std::future::Future;
use std::path::PathBuf;

use super::{blocking, Problem, Workspace};
use crate::messages::Surface;
use crate::support::{self, BundlePlan, BundleSource, BundleSummary};

impl Workspace {
    /// What a support bundle about `name` (or the only saved connection, or none) will hold.
    ///
    /// # Errors
    /// `not_found`, `connection_ambiguous`, config errors.
    pub async fn support_bundle_plan(&self, name: Option<String>) -> Result<BundlePlan, Problem> {
        let store = self.store.clone();
        blocking(move || support::plan(&store, name.as_deref())).await
    }

    /// Writes the bundle about `name` where `ask` says (a save dialog given the suggested file
    /// name and the downloads folder; `None` when the person cancelled, and then nothing is written). `log_dir`: the
    /// front end's log folder, whose tail goes in.
    ///
    /// # Errors
    /// As [`Workspace::support_bundle_plan`]; `state_file`, `bundle_write_failed`.
    pub async fn save_support_bundle<F: Future<Output = Option<PathBuf>>>(
        &self,
        name: Option<String>,
        log_dir: Option<PathBuf>,
        ask: impl FnOnce(String, PathBuf) -> F,
    ) -> Result<Option<BundleSummary>, Problem> {
        let plan = self.support_bundle_plan(name).await?;
        let folder = self.downloads.folder().to_path_buf();
        let Some(out) = ask(plan.suggested_file_name.clone(), folder).await else {
            return Ok(None);
        };
        let app_name = match self.surface {
            Surface::Desktop => "DocuSign JWT Studio",
            Surface::Cli => "dsjwt",
        };
        let source = BundleSource {
            app_name: app_name.into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            connection: plan.connection,
            log_dir,
        };
        support::write_bundle(&self.store, &self.state, &source, &out)
            .await
            .map(Some)
    }
}
