//! Local DocuSign emulator.
