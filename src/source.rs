//! The source stage: owns finding input files under the given paths, naming them as the user
//! gave them, hashing them and sniffing what they are.

use std::path::PathBuf;

/// What an input file is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Pdf,
    Text,
}

/// One input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// Where to read it.
    pub path: PathBuf,
    /// The name written to every output: the path as given, or as found under a given folder.
    pub display: String,
    pub kind: InputKind,
}
