//! The error svc reports when it cannot run at all (exit code 2): a message and,
//! where one can be given, a hint on how to fix it.

/// A failure caused by the user's input or environment, with a hint.
#[derive(Debug)]
pub struct UserError {
    /// What went wrong, lower-case.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl UserError {
    /// An error without a hint.
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            help: None,
        }
    }

    /// An error with a hint.
    pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            help: Some(help.into()),
        }
    }
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}
