//! What the integration tests share: where the shared data and samples are, and the binary.
// Each test crate includes this module and uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The shared test data: `$GONGKAI_SHARED`, or `../shared` beside the project root.
pub fn shared() -> PathBuf {
    std::env::var_os("GONGKAI_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

/// The project's own generated samples.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// The gongkai binary, without the fault-injection hook a caller's environment might carry.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.env_remove("GONGKAI_TEST_FAULTS");
    c
}

/// The CSV files `gongkai extract` writes, in the order of the xlsx sheets.
pub const OUTPUT_NAMES: [&str; 6] = [
    "documents",
    "tables",
    "cells",
    "amounts",
    "sangong",
    "checks",
];
