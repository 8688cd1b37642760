//! DocuSign JWT Grant client.
pub mod key;
