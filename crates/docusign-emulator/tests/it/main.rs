//! Integration tests: the emulator over real HTTPS, trusted through the `ca.pem` it writes.

mod common;

mod admin;
mod consent;
mod docs;
mod esign;
mod persist;
mod startup;
mod token;
mod userinfo;
