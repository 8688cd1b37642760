//! Studio use cases.
