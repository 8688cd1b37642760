//! Support for the desktop app's end-to-end tests.

#![allow(dead_code)]

pub mod axe;
pub mod harness;
pub mod secrets;
pub mod webdriver;
