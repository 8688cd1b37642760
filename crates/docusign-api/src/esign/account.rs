//! The account itself: `GET /restapi/v2.1/accounts/{accountId}` (`Accounts_GetAccount`, SDK
//! `getAccountInformation`). DocuSign accepts the short account number in place of the GUID
//! ("the external account number (int) or account ID GUID"), so this call turns a number a
//! user pasted into the API Account ID (F40).

use super::client::EsignClient;
use super::error::EsignError;
use super::models::de;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `accountInformation`, with the fields the Studio reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccountInformation {
    /// The API Account ID (a GUID).
    #[serde(default, deserialize_with = "de::opt_string")]
    pub account_id_guid: Option<String>,
    /// The account's name.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub account_name: Option<String>,
    /// The short account number shown in DocuSign's web app.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub external_account_id: Option<String>,
    /// Everything else DocuSign sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl EsignClient {
    /// The connection's account. With a short account number as the connection's account ID,
    /// `account_id_guid` is the API Account ID to use instead (F40).
    ///
    /// Endpoint: `GET /restapi/v2.1/accounts/{accountId}`.
    ///
    /// # Errors
    /// As any call (`USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT` when the number is not one of
    /// the user's accounts).
    pub async fn get_account_information(&self) -> Result<AccountInformation, EsignError> {
        let call = self.call(Method::GET, &[])?;
        self.json(call).await
    }
}
