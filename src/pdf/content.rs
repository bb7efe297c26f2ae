//! The content-stream interpreter: runs a page's (and its Form XObjects') operators with the
//! graphics and text state, producing positioned glyphs, ruling segments and painted
//! rectangles in displayed page coordinates.

use super::deref;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::Font;
use super::{Glyph, Rect, Segment};

/// Form XObjects nest at most this deep (guards against cycles and pathological files).
const MAX_FORM_DEPTH: usize = 12;
/// Decompressed content streams larger than this are not interpreted.
const MAX_CONTENT: usize = 256 << 20;

/// A 2D affine matrix [a b c d e f] (PDF convention: row vector × matrix).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matrix(pub [f32; 6]);

impl Matrix {
    pub const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self × other`: apply self first, then other.
    pub fn then(&self, o: &Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<(Arc<Font>, u16)>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
}

/// Fonts decoded once per document, by font dictionary object id.
pub type FontCache = Mutex<HashMap<ObjectId, Arc<Font>>>;

/// What the interpreter collects for one page.
#[derive(Default)]
pub struct Output {
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    pub rects: Vec<Rect>,
    pub fonts: Vec<String>,
    pub has_images: bool,
}

pub struct Interpreter<'a> {
    doc: &'a Document,
    cache: &'a FontCache,
    /// Displayed page size, to drop glyphs drawn off the page as pdftotext does.
    width: f32,
    height: f32,
    out: Output,
    font_index: HashMap<usize, u16>,
    form_stack: Vec<ObjectId>,
    text_buf: String,
}

#[derive(Clone, Copy)]
struct Pt {
    x: f32,
    y: f32,
    /// Reached by a straight line (not a curve) from the previous point.
    straight: bool,
}

#[derive(Default)]
struct Path {
    subpaths: Vec<(Vec<Pt>, bool)>,
    rects: Vec<[f32; 4]>,
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    let mut out = [0.0; N];
    if ops.len() < N {
        return None;
    }
    let start = ops.len() - N;
    for (slot, o) in out.iter_mut().zip(ops.get(start..)?) {
        *slot = num(o)?;
    }
    if out.iter().all(|v| v.is_finite()) {
        Some(out)
    } else {
        None
    }
}

impl<'a> Interpreter<'a> {
    pub fn new(doc: &'a Document, cache: &'a FontCache, width: f32, height: f32) -> Self {
        Interpreter {
            doc,
            cache,
            width,
            height,
            out: Output::default(),
            font_index: HashMap::new(),
            form_stack: Vec::new(),
            text_buf: String::new(),
        }
    }

    pub fn finish(self) -> Output {
        self.out
    }

    /// Runs a content stream with `resources` and the initial CTM.
    pub fn run(&mut self, content: &[u8], resources: Option<&Dictionary>, ctm: Matrix) {
        let ops = match Content::decode(content) {
            Ok(c) => c.operations,
            Err(_) => return,
        };
        let mut gs = GState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut path = Path::default();
        let mut clip_pending = false;
        for op in &ops {
            let o = op.operands.as_slice();
            match op.operator.as_str() {
                "q" if stack.len() < 256 => {
                    stack.push(gs.clone());
                }
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" => {
                    if let Some(m) = nums::<6>(o) {
                        gs.ctm = Matrix(m).then(&gs.ctm);
                    }
                }
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "ET" => {}
                "Tc" => gs.char_spacing = nums::<1>(o).map_or(gs.char_spacing, |v| v[0]),
                "Tw" => gs.word_spacing = nums::<1>(o).map_or(gs.word_spacing, |v| v[0]),
                "Tz" => gs.h_scale = nums::<1>(o).map_or(gs.h_scale, |v| v[0] / 100.0),
                "TL" => gs.leading = nums::<1>(o).map_or(gs.leading, |v| v[0]),
                "Ts" => gs.rise = nums::<1>(o).map_or(gs.rise, |v| v[0]),
                "Tf" => {
                    if let (Some(name), Some([size])) =
                        (o.first().and_then(|n| n.as_name().ok()), nums::<1>(o))
                    {
                        gs.size = size;
                        gs.font = self.font(resources, name);
                    }
                }
                "Td" => {
                    if let Some([tx, ty]) = nums::<2>(o) {
                        tlm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(&tlm);
                        tm = tlm;
                    }
                }
                "TD" => {
                    if let Some([tx, ty]) = nums::<2>(o) {
                        gs.leading = -ty;
                        tlm = Matrix([1.0, 0.0, 0.0, 1.0, tx, ty]).then(&tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = nums::<6>(o) {
                        tlm = Matrix(m);
                        tm = tlm;
                    }
                }
                "T*" => {
                    tlm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading]).then(&tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Object::String(s, _)) = o.first() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\""
                        && let (Some(aw), Some(ac)) =
                            (o.first().and_then(num), o.get(1).and_then(num))
                    {
                        gs.word_spacing = aw;
                        gs.char_spacing = ac;
                    }
                    tlm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading]).then(&tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = o.last() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(&gs, &mut tm, s),
                                other => {
                                    if let Some(n) = num(other) {
                                        let shift = -n / 1000.0 * gs.size;
                                        let vertical =
                                            gs.font.as_ref().is_some_and(|f| f.0.vertical());
                                        tm = if vertical {
                                            Matrix([1.0, 0.0, 0.0, 1.0, 0.0, shift]).then(&tm)
                                        } else {
                                            Matrix([1.0, 0.0, 0.0, 1.0, shift * gs.h_scale, 0.0])
                                                .then(&tm)
                                        };
                                    }
                                }
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(name) = o.first().and_then(|n| n.as_name().ok()) {
                        self.xobject(resources, name, &gs.ctm);
                    }
                }
                "BI" | "EI" => self.out.has_images = true,
                "m" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        let (x, y) = gs.ctm.apply(x, y);
                        path.subpaths.push((
                            vec![Pt {
                                x,
                                y,
                                straight: true,
                            }],
                            false,
                        ));
                    }
                }
                "l" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        let (x, y) = gs.ctm.apply(x, y);
                        if let Some(sp) = path.subpaths.last_mut() {
                            sp.0.push(Pt {
                                x,
                                y,
                                straight: true,
                            });
                        }
                    }
                }
                "c" | "v" | "y" => {
                    if let Some([x, y]) = nums::<2>(o) {
                        let (x, y) = gs.ctm.apply(x, y);
                        if let Some(sp) = path.subpaths.last_mut() {
                            sp.0.push(Pt {
                                x,
                                y,
                                straight: false,
                            });
                        }
                    }
                }
                "h" => {
                    if let Some(sp) = path.subpaths.last_mut() {
                        sp.1 = true;
                    }
                }
                "re" => {
                    if let Some([x, y, w, h]) = nums::<4>(o) {
                        let pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                            .map(|(px, py)| gs.ctm.apply(px, py));
                        let axis = (pts[0].1 - pts[1].1).abs() < 0.01
                            || (pts[0].0 - pts[1].0).abs() < 0.01;
                        if axis {
                            let xs = pts.map(|p| p.0);
                            let ys = pts.map(|p| p.1);
                            path.rects.push([
                                xs.iter().copied().fold(f32::MAX, f32::min),
                                ys.iter().copied().fold(f32::MAX, f32::min),
                                xs.iter().copied().fold(f32::MIN, f32::max),
                                ys.iter().copied().fold(f32::MIN, f32::max),
                            ]);
                        } else {
                            let sp = pts
                                .iter()
                                .map(|&(x, y)| Pt {
                                    x,
                                    y,
                                    straight: true,
                                })
                                .collect();
                            path.subpaths.push((sp, true));
                        }
                    }
                }
                "W" | "W*" => clip_pending = true,
                "n" => {
                    path = Path::default();
                    clip_pending = false;
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    let stroke =
                        matches!(op.operator.as_str(), "S" | "s" | "B" | "B*" | "b" | "b*");
                    let fill = !matches!(op.operator.as_str(), "S" | "s");
                    let close = matches!(op.operator.as_str(), "s" | "b" | "b*");
                    self.paint(std::mem::take(&mut path), stroke, fill, close);
                    clip_pending = false;
                }
                _ => {}
            }
        }
        let _ = clip_pending;
    }

    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<(Arc<Font>, u16)> {
        let fonts = resources?
            .get(b"Font")
            .ok()
            .map(|o| deref(self.doc, o))?
            .as_dict()
            .ok()?;
        let entry = fonts.get(name).ok()?;
        let font = match entry {
            Object::Reference(id) => {
                let cached = self.cache.lock().ok().and_then(|c| c.get(id).cloned());
                match cached {
                    Some(f) => f,
                    None => {
                        let dict = deref(self.doc, entry).as_dict().ok()?;
                        let f = Arc::new(Font::load(self.doc, dict));
                        if let Ok(mut c) = self.cache.lock() {
                            c.insert(*id, f.clone());
                        }
                        f
                    }
                }
            }
            Object::Dictionary(d) => Arc::new(Font::load(self.doc, d)),
            _ => return None,
        };
        let key = Arc::as_ptr(&font) as usize;
        let idx = match self.font_index.get(&key) {
            Some(i) => *i,
            None => {
                let i = u16::try_from(self.out.fonts.len()).unwrap_or(u16::MAX);
                self.out.fonts.push(font.name.clone());
                self.font_index.insert(key, i);
                i
            }
        };
        Some((font, idx))
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, bytes: &[u8]) {
        let Some((font, font_idx)) = gs.font.clone() else {
            return;
        };
        let vertical = font.vertical();
        let size = gs.size;
        let mut buf = std::mem::take(&mut self.text_buf);
        font.for_each_code(bytes, &mut buf, |code, text| {
            let trm = Matrix([size * gs.h_scale, 0.0, 0.0, size, 0.0, gs.rise])
                .then(tm)
                .then(&gs.ctm);
            let spacing = gs.char_spacing
                + if code.len == 1 && code.code == 32 {
                    gs.word_spacing
                } else {
                    0.0
                };
            if vertical {
                let adv = -code.advance;
                if !text.is_empty() {
                    // Glyph box: one em wide centred on the origin, one em tall below it.
                    let corners = [
                        (-0.5, 0.0),
                        (0.5, 0.0),
                        (-0.5, -adv.abs().max(0.5)),
                        (0.5, -adv.abs().max(0.5)),
                    ];
                    self.emit(&trm, &corners, text, font_idx, true);
                }
                let ty = -(adv * size + spacing);
                *tm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, ty]).then(tm);
            } else {
                let w = code.advance;
                if !text.is_empty() {
                    let corners = [(0.0, -0.2), (w, -0.2), (0.0, 0.8), (w, 0.8)];
                    self.emit(&trm, &corners, text, font_idx, false);
                }
                let tx = (w * size + spacing) * gs.h_scale;
                *tm = Matrix([1.0, 0.0, 0.0, 1.0, tx, 0.0]).then(tm);
            }
        });
        self.text_buf = buf;
    }

    fn emit(
        &mut self,
        trm: &Matrix,
        corners: &[(f32, f32); 4],
        text: &str,
        font: u16,
        vertical_font: bool,
    ) {
        let mut x0 = f32::MAX;
        let mut y0 = f32::MAX;
        let mut x1 = f32::MIN;
        let mut y1 = f32::MIN;
        for &(cx, cy) in corners {
            let (x, y) = trm.apply(cx, cy);
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        if !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            return;
        }
        let [a, b, c, d, _, _] = trm.0;
        let size = (c * c + d * d).sqrt();
        // Baseline direction in displayed space: mostly vertical means the text runs down.
        let vertical = vertical_font || b.abs() > a.abs();
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        if cx < 0.0 || cy < 0.0 || cx > self.width || cy > self.height {
            return;
        }
        let n = text.chars().count().max(1) as f32;
        for (i, ch) in text.chars().enumerate() {
            // Several characters from one code share its advance.
            let (gx0, gx1, gy0, gy1) = if n > 1.0 && !vertical {
                let w = (x1 - x0) / n;
                (x0 + w * i as f32, x0 + w * (i as f32 + 1.0), y0, y1)
            } else {
                (x0, x1, y0, y1)
            };
            // Fake bold: the same character drawn again at almost the same place.
            let dup = self.out.glyphs.iter().rev().take(4).any(|g| {
                g.ch == ch
                    && (g.x0 - gx0).abs() < 0.15 * size.max(1.0)
                    && (g.y0 - gy0).abs() < 0.15 * size.max(1.0)
            });
            if dup || ch.is_control() {
                continue;
            }
            self.out.glyphs.push(Glyph {
                ch,
                x0: gx0,
                y0: gy0,
                x1: gx1,
                y1: gy1,
                size,
                font,
                vertical,
            });
        }
    }

    fn xobject(&mut self, resources: Option<&Dictionary>, name: &[u8], ctm: &Matrix) {
        let Some(xobjects) = resources
            .and_then(|r| r.get(b"XObject").ok())
            .map(|o| deref(self.doc, o))
            .and_then(|o| o.as_dict().ok())
        else {
            return;
        };
        let Ok(entry) = xobjects.get(name) else {
            return;
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Ok(stream) = deref(self.doc, entry).as_stream() else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => self.out.has_images = true,
            Ok(b"Form") => {
                if self.form_stack.len() >= MAX_FORM_DEPTH
                    || id.is_some_and(|i| self.form_stack.contains(&i))
                {
                    return;
                }
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .map(|o| deref(self.doc, o))
                    .and_then(|o| o.as_array().ok())
                    .and_then(|a| {
                        let v: Vec<Object> = a.iter().map(|o| deref(self.doc, o).clone()).collect();
                        nums::<6>(&v)
                    })
                    .map_or(Matrix::IDENTITY, Matrix);
                let content = if stream.dict.get(b"Filter").is_ok() {
                    match stream.get_plain_content_with_limit(MAX_CONTENT) {
                        Ok(c) => c,
                        Err(_) => return,
                    }
                } else {
                    stream.content.clone()
                };
                let own = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .map(|o| deref(self.doc, o))
                    .and_then(|o| o.as_dict().ok());
                self.form_stack.push(id.unwrap_or((0, 0)));
                self.run(&content, own.or(resources), matrix.then(ctm));
                self.form_stack.pop();
            }
            _ => {}
        }
    }

    fn paint(&mut self, path: Path, stroke: bool, fill: bool, close: bool) {
        for [x0, y0, x1, y1] in path.rects {
            if [x0, y0, x1, y1].iter().all(|v| v.is_finite()) {
                self.out.rects.push(Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    filled: fill,
                    stroked: stroke,
                });
            }
        }
        for (pts, closed) in path.subpaths {
            let closed = closed || close;
            // A box, or (some producers, 广州's) a cell border drawn as a filled sliver with
            // mitred ends: a straight polygon too thin to be anything but a line.
            let boxed =
                axis_rect(&pts, closed).or_else(|| fill.then(|| thin_polygon(&pts)).flatten());
            if let Some(r) = boxed {
                self.out.rects.push(Rect {
                    x0: r[0],
                    y0: r[1],
                    x1: r[2],
                    y1: r[3],
                    filled: fill,
                    stroked: stroke,
                });
                continue;
            }
            if !stroke {
                continue;
            }
            for w in pts.windows(2) {
                if let [p, q] = w
                    && q.straight
                    && (p.x != q.x || p.y != q.y)
                {
                    self.out.segments.push(Segment {
                        x0: p.x,
                        y0: p.y,
                        x1: q.x,
                        y1: q.y,
                    });
                }
            }
            if closed
                && let (Some(p), Some(q)) = (pts.last(), pts.first())
                && (p.x != q.x || p.y != q.y)
            {
                self.out.segments.push(Segment {
                    x0: p.x,
                    y0: p.y,
                    x1: q.x,
                    y1: q.y,
                });
            }
        }
    }
}

/// A filled polygon of straight edges no wider than this (points) in one direction is a line.
const SLIVER: f32 = 2.0;

/// The box of a straight-edged polygon that is a sliver (thin in x or y, longer the other way).
fn thin_polygon(pts: &[Pt]) -> Option<[f32; 4]> {
    if pts.len() < 3 || pts.iter().skip(1).any(|p| !p.straight) {
        return None;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for p in pts {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let thin = w.min(h);
    (thin.is_finite() && thin <= SLIVER && w.max(h) > 2.0 * SLIVER).then_some([x0, y0, x1, y1])
}

/// A closed straight 4-point (or 5 with the start repeated) axis-aligned path as a box.
fn axis_rect(pts: &[Pt], closed: bool) -> Option<[f32; 4]> {
    let pts = match pts {
        [a, .., z] if pts.len() == 5 && (a.x - z.x).abs() < 0.01 && (a.y - z.y).abs() < 0.01 => {
            pts.get(..4)?
        }
        _ if pts.len() == 4 && closed => pts,
        _ => return None,
    };
    if pts.iter().skip(1).any(|p| !p.straight) {
        return None;
    }
    for i in 0..4 {
        let p = pts.get(i)?;
        let q = pts.get((i + 1) % 4)?;
        if (p.x - q.x).abs() > 0.01 && (p.y - q.y).abs() > 0.01 {
            return None;
        }
    }
    let xs = pts.iter().map(|p| p.x);
    let ys = pts.iter().map(|p| p.y);
    Some([
        xs.clone().fold(f32::MAX, f32::min),
        ys.clone().fold(f32::MAX, f32::min),
        xs.fold(f32::MIN, f32::max),
        ys.fold(f32::MIN, f32::max),
    ])
}
