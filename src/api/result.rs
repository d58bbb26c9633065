//! The client's `Result`: every call fails with an [`ApiError`].

use super::error::ApiError;

pub type Result<T> = std::result::Result<T, ApiError>;
