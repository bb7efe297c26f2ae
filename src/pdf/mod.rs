//! The PDF layer: owns reading a PDF file into pages of positioned glyphs and ruling lines.
//!
//! Built on lopdf's object model; the content-stream interpreter, font decoding (simple
//! encodings, ToUnicode, predefined CJK CMaps, Identity-H/V through embedded fonts and the
//! Adobe-GB1 collection, Type 3) and page rotation are ours, because the common Rust
//! extractors get real Chinese government PDFs wrong.
//!
//! Coordinates returned to later stages are in points, in the page as displayed (after
//! /Rotate), origin at the top-left corner, y growing downwards.

pub mod cmap;
pub mod content;
pub mod encoding;
pub mod font;
pub mod predefined;
pub mod truetype;
pub mod unicode;

/// One glyph as shown on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The Unicode character (a code that maps to several characters yields several glyphs
    /// sharing the advance).
    pub ch: char,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    /// Effective font size in points (text matrix and CTM applied).
    pub size: f32,
    /// Index into [`Page::fonts`].
    pub font: u16,
    /// True when the glyph runs vertically (Identity-V or a rotated text matrix).
    pub vertical: bool,
}

/// A straight ruling segment (from a stroked path, or a thin filled rectangle).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// A rectangle that was painted (stroked or filled), e.g. a table cell border or a shaded band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub filled: bool,
    pub stroked: bool,
}

/// One page, ready for layout.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based page number.
    pub number: usize,
    /// Width and height as displayed (after /Rotate).
    pub width: f32,
    pub height: f32,
    /// /Rotate of the page, normalised to 0, 90, 180 or 270.
    pub rotate: i32,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    pub rects: Vec<Rect>,
    /// Names of the fonts that glyphs refer to (BaseFont), by index.
    pub fonts: Vec<String>,
    /// The page paints at least one image (used to tell scans from blank pages).
    pub has_images: bool,
}

/// Why a PDF could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("encrypted: {0}")]
    Encrypted(String),
    #[error("malformed PDF: {0}")]
    Malformed(String),
    #[error("page {0} does not exist")]
    NoSuchPage(usize),
}

/// An opened PDF document.
pub struct Document {
    doc: lopdf::Document,
    fonts: content::FontCache,
}

/// Page-tree nodes inherit /Resources, /MediaBox, /CropBox, /Rotate at most this far up.
const MAX_TREE_DEPTH: usize = 32;

/// Follows references (a bounded number of hops, so reference cycles end) to the object.
pub(crate) fn deref<'a>(doc: &'a lopdf::Document, mut obj: &'a lopdf::Object) -> &'a lopdf::Object {
    for _ in 0..8 {
        match obj {
            lopdf::Object::Reference(id) => match doc.get_object(*id) {
                Ok(o) => obj = o,
                Err(_) => return obj,
            },
            _ => return obj,
        }
    }
    obj
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "parser panicked".to_string())
}

impl Document {
    /// Parses a PDF from memory; an encrypted file opens when `password` (or the empty
    /// password) is its user password.
    pub fn load(bytes: &[u8], password: Option<&str>) -> Result<Document, PdfError> {
        let options = match password {
            Some(p) => lopdf::LoadOptions::with_password(p),
            None => lopdf::LoadOptions::default(),
        };
        // lopdf can panic on corrupt input; a bad file must be an error, not a crash.
        let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            lopdf::Document::load_mem_with_options(bytes, options)
        }))
        .map_err(|p| PdfError::Malformed(panic_message(p.as_ref())))?;
        let doc = match loaded {
            Ok(d) => d,
            Err(lopdf::Error::InvalidPassword) => {
                return Err(PdfError::Encrypted(
                    "the given password does not open it; it needs a password".into(),
                ));
            }
            Err(e) => return Err(PdfError::Malformed(e.to_string())),
        };
        if doc.trailer.get(b"Encrypt").is_ok() && doc.encryption_state.is_none() {
            return Err(PdfError::Encrypted("the document needs a password".into()));
        }
        if doc.get_pages().is_empty() {
            return Err(PdfError::Malformed("no pages found".into()));
        }
        Ok(Document {
            doc,
            fonts: Default::default(),
        })
    }

    pub fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The /Producer of the document information dictionary, if any.
    pub fn producer(&self) -> Option<String> {
        let info = self
            .doc
            .trailer
            .get(b"Info")
            .ok()
            .map(|o| deref(&self.doc, o))?;
        let producer = info
            .as_dict()
            .ok()?
            .get(b"Producer")
            .ok()
            .map(|o| deref(&self.doc, o))?;
        let bytes = producer.as_str().ok()?;
        let text = lopdf::decode_text_string(&lopdf::Object::String(
            bytes.to_vec(),
            lopdf::StringFormat::Literal,
        ))
        .unwrap_or_else(|_| String::from_utf8_lossy(bytes).into_owned());
        let text = text.trim().to_string();
        if text.is_empty() { None } else { Some(text) }
    }

    /// Interprets page `number` (1-based).
    pub fn page(&self, number: usize) -> Result<Page, PdfError> {
        let id = u32::try_from(number)
            .ok()
            .and_then(|n| self.doc.get_pages().get(&n).copied())
            .ok_or(PdfError::NoSuchPage(number))?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.page_inner(number, id)))
            .map_err(|p| {
                PdfError::Malformed(format!("page {number}: {}", panic_message(p.as_ref())))
            })?
    }

    /// An attribute of the page node or the nearest ancestor that has it.
    fn inherited<'a>(
        &'a self,
        page: &'a lopdf::Dictionary,
        key: &[u8],
    ) -> Option<&'a lopdf::Object> {
        let mut node = page;
        for _ in 0..MAX_TREE_DEPTH {
            if let Ok(v) = node.get(key) {
                return Some(deref(&self.doc, v));
            }
            node = node
                .get(b"Parent")
                .ok()
                .map(|o| deref(&self.doc, o))?
                .as_dict()
                .ok()?;
        }
        None
    }

    fn page_box(&self, page: &lopdf::Dictionary, key: &[u8]) -> Option<[f32; 4]> {
        let arr = self.inherited(page, key)?.as_array().ok()?;
        let mut v = [0.0f32; 4];
        for (slot, o) in v.iter_mut().zip(arr.iter()) {
            *slot = match deref(&self.doc, o) {
                lopdf::Object::Integer(i) => *i as f32,
                lopdf::Object::Real(r) => *r,
                _ => return None,
            };
        }
        if arr.len() < 4 || v.iter().any(|x| !x.is_finite()) {
            return None;
        }
        let b = [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ];
        if b[2] - b[0] < 1.0 || b[3] - b[1] < 1.0 {
            None
        } else {
            Some(b)
        }
    }

    fn page_inner(&self, number: usize, id: lopdf::ObjectId) -> Result<Page, PdfError> {
        let dict = self
            .doc
            .get_dictionary(id)
            .map_err(|e| PdfError::Malformed(format!("page {number}: {e}")))?;
        let media = self
            .page_box(dict, b"MediaBox")
            .unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let crop = self
            .page_box(dict, b"CropBox")
            .map(|c| {
                [
                    c[0].max(media[0]),
                    c[1].max(media[1]),
                    c[2].min(media[2]),
                    c[3].min(media[3]),
                ]
            })
            .filter(|c| c[2] - c[0] >= 1.0 && c[3] - c[1] >= 1.0)
            .unwrap_or(media);
        let rotate = match self.inherited(dict, b"Rotate") {
            Some(lopdf::Object::Integer(r)) => r.rem_euclid(360),
            Some(lopdf::Object::Real(r)) => (*r as i64).rem_euclid(360),
            _ => 0,
        };
        let rotate = ((rotate + 45) / 90 % 4 * 90) as i32;
        let [x0, y0, x1, y1] = crop;
        let (w, h) = (x1 - x0, y1 - y0);
        // User space → displayed page: rotate clockwise by /Rotate, origin top-left, y down.
        let (display, width, height) = match rotate {
            90 => (content::Matrix([0.0, 1.0, 1.0, 0.0, -y0, -x0]), h, w),
            180 => (content::Matrix([-1.0, 0.0, 0.0, 1.0, x1, -y0]), w, h),
            270 => (content::Matrix([0.0, -1.0, -1.0, 0.0, y1, x1]), h, w),
            _ => (content::Matrix([1.0, 0.0, 0.0, -1.0, -x0, y1]), w, h),
        };
        let resources = self
            .inherited(dict, b"Resources")
            .and_then(|o| o.as_dict().ok());
        let data = self
            .doc
            .get_page_content_with_limit(id, 256 << 20)
            .map_err(|e| PdfError::Malformed(format!("page {number}: {e}")))?;
        let mut interp = content::Interpreter::new(&self.doc, &self.fonts, width, height);
        interp.run(&data, resources, display);
        let out = interp.finish();
        Ok(Page {
            number,
            width,
            height,
            rotate,
            glyphs: out.glyphs,
            segments: out.segments,
            rects: out.rects,
            fonts: out.fonts,
            has_images: out.has_images,
        })
    }
}
