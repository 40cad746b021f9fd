//! The error svc reports when it cannot (or will not) do what was asked: a message,
//! where one can be given a hint on how to fix it, and the exit code — 2 when svc
//! could not run (usage, unreadable repo), 1 when it refused (a gate, an existing id).

/// A failure caused by the user's input or environment, with a hint.
#[derive(Debug)]
pub struct UserError {
    /// What went wrong, lower-case.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The process exit code (SPEC §5).
    pub code: u8,
}

impl UserError {
    /// An error without a hint.
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            help: None,
            code: 2,
        }
    }

    /// An error with a hint.
    pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            help: Some(help.into()),
            code: 2,
        }
    }

    /// A refusal (exit code 1): the command ran, but what it was asked to do is not allowed.
    pub fn refused(message: impl Into<String>, help: impl Into<String>) -> Self {
        UserError {
            code: 1,
            ..UserError::with_help(message, help)
        }
    }
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}
