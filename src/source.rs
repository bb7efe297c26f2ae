//! The source stage: owns finding input files under the given paths, naming them as the user
//! gave them, hashing them and sniffing what they are.

use std::io::Read;
use std::path::{Path, PathBuf};

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

/// Why the inputs could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// How far into a file the `%PDF-` header may start (the PDF spec tolerates leading junk, and
/// real files from some web servers carry it).
const SNIFF_BYTES: usize = 1024;

/// Lists the inputs under `paths`: a file is taken as given (whatever its name); a folder is
/// walked recursively for `.pdf` and `.txt` files (any case) and for files whose content starts
/// like a PDF. Hidden entries (leading `.`) are skipped. The result is sorted by display name
/// and has no duplicates, so every run over the same tree sees the same list.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Input>, SourceError> {
    let mut out = Vec::new();
    for p in paths {
        let display = p.to_string_lossy().into_owned();
        let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound(display.clone()),
            _ => SourceError::Io {
                path: display.clone(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            let kind = sniff(p).map_err(|e| SourceError::Io {
                path: display.clone(),
                source: e,
            })?;
            // A file named explicitly is taken even with an unknown extension: the user chose it.
            out.push(Input {
                path: p.clone(),
                display,
                kind: kind.unwrap_or(InputKind::Text),
            });
        }
    }
    out.sort_by(|a, b| a.display.cmp(&b.display));
    out.dedup_by(|a, b| a.display == b.display);
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> Result<(), SourceError> {
    let io_err = |e: std::io::Error| SourceError::Io {
        path: dir.to_string_lossy().into_owned(),
        source: e,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io_err)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io_err)?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .map(|n| n.to_string_lossy().starts_with('.'))
            .unwrap_or(true);
        if hidden {
            continue;
        }
        // symlink_metadata: a symlinked folder is not followed, so a link cycle cannot loop.
        let Ok(lmeta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if lmeta.is_dir() {
            walk(&path, out)?;
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let kind = sniff(&path).map_err(|e| SourceError::Io {
            path: path.to_string_lossy().into_owned(),
            source: e,
        })?;
        if let Some(kind) = kind {
            out.push(Input {
                display: path.to_string_lossy().into_owned(),
                path,
                kind,
            });
        }
    }
    Ok(())
}

/// What a file is: a PDF when its first bytes hold `%PDF-` (even when misnamed), else by
/// extension (`.pdf` stays a PDF so a broken one is reported, `.txt` is text); `None` for
/// anything else.
pub fn sniff(path: &Path) -> std::io::Result<Option<InputKind>> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Some(InputKind::Pdf));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(match ext.as_str() {
        "pdf" => Some(InputKind::Pdf),
        "txt" => Some(InputKind::Text),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_sniffs_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("b.TXT"), "text").unwrap();
        std::fs::write(root.join("sub/a.pdf"), "not a pdf").unwrap();
        std::fs::write(root.join("c.txt"), "%PDF-1.4\n").unwrap();
        std::fs::write(root.join("d.doc"), "ignored").unwrap();
        std::fs::write(root.join(".hidden.pdf"), "%PDF-1.4").unwrap();
        let found = discover(&[root.to_path_buf()]).unwrap();
        let names: Vec<(String, InputKind)> = found
            .iter()
            .map(|i| {
                let rel = i
                    .path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, i.kind)
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("b.TXT".to_string(), InputKind::Text),
                ("c.txt".to_string(), InputKind::Pdf),
                ("sub/a.pdf".to_string(), InputKind::Pdf),
            ]
        );
        assert!(
            found[0]
                .display
                .starts_with(&root.to_string_lossy().into_owned())
        );
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = discover(&[PathBuf::from("/nonexistent/gongkai")]).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/gongkai"));
    }
}
