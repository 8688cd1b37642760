//! Private-key loading.
