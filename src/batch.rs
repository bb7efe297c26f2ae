//! Runs many input files in parallel and keeps every file accounted for.
