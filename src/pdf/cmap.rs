//! CMaps: parsing the PostScript-like CMap language (PDF ToUnicode streams, embedded encoding
//! CMaps and Adobe's predefined CMap files) into lookup tables for splitting a string into
//! character codes, mapping codes to CIDs and mapping codes to Unicode text.
//!
//! The parser is deliberately lenient: producers of Chinese government PDFs write CMaps with
//! wrong entry counts, missing `end…` keywords and stray tokens, and whatever can be understood
//! is kept. Every loop consumes input, ranges are clamped, and nothing indexes unchecked, so
//! hostile input costs bounded time and memory.

use std::collections::{BTreeMap, HashMap};

use super::predefined::predefined;

/// Character codes are at most four bytes long (PDF 32000-1 §9.7.6.2).
const MAX_CODE_LEN: usize = 4;
/// Largest number of codes one bfrange may expand to; larger ranges are clamped.
const MAX_RANGE_CODES: u32 = 65_536;
/// Largest number of code → Unicode entries one CMap may hold, so a hostile ToUnicode stream
/// with thousands of full-size ranges cannot exhaust memory (real ones hold at most one entry
/// per glyph, under 65,536).
const MAX_UNICODE_ENTRIES: usize = 1 << 18;
/// Largest number of code → Unicode assignments one parse performs, counting overrides, so
/// thousands of full-size ranges over the same codes cannot take minutes either.
const MAX_UNICODE_WORK: usize = 1 << 22;

/// One `begincodespacerange` entry: codes of `len` bytes whose every byte lies between the
/// corresponding bytes of `lo` and `hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Codespace {
    len: u8,
    lo: [u8; MAX_CODE_LEN],
    hi: [u8; MAX_CODE_LEN],
}

impl Codespace {
    fn matches(&self, bytes: &[u8]) -> bool {
        bytes
            .iter()
            .zip(self.lo.iter().zip(self.hi.iter()))
            .all(|(b, (lo, hi))| lo <= b && b <= hi)
    }
}

/// Codes `lo..=hi` map to `cid` (+ the offset from `lo` when the range increments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CidRange {
    lo: u32,
    hi: u32,
    cid: u32,
}

/// A parsed CMap: codespace ranges, code → CID ranges and code → Unicode text.
///
/// A CMap that names another (`usecmap`) holds a copy of the other's tables, overridden by
/// its own entries, so lookups never chase parents.
#[derive(Debug, Clone, Default)]
pub struct CMap {
    name: Option<String>,
    vertical: bool,
    /// Sorted by code length, shortest first: the first match wins.
    codespaces: Vec<Codespace>,
    /// How many bytes a code matching no codespace consumes.
    fallback_len: usize,
    /// Disjoint, sorted by `lo`.
    cids: Vec<CidRange>,
    /// Disjoint, sorted by `lo`; every code in a range maps to the same CID.
    notdefs: Vec<CidRange>,
    /// (code, start, end) into `text`, sorted by code.
    unicode: Vec<(u32, u32, u32)>,
    text: String,
}

impl CMap {
    /// Parses a CMap (a ToUnicode stream or an encoding CMap). Never fails: malformed input
    /// yields whatever entries could be read.
    pub fn parse(data: &[u8]) -> CMap {
        let mut builder = Builder::default();
        builder.run(data);
        builder.finish()
    }

    /// The identity CMap (Identity-H / Identity-V): two-byte codes, CID = code.
    pub fn identity(vertical: bool) -> CMap {
        let mut builder = Builder {
            name: Some(if vertical { "Identity-V" } else { "Identity-H" }.to_string()),
            vertical,
            ..Builder::default()
        };
        builder.codespaces.push(Codespace {
            len: 2,
            lo: [0; MAX_CODE_LEN],
            hi: [0xff, 0xff, 0, 0],
        });
        builder.cids.insert(0, 0xffff, 0);
        builder.finish()
    }

    /// This CMap with `parent`'s entries underneath its own, for a PDF CMap stream whose
    /// /UseCMap names another stream.
    pub fn with_parent(self, parent: &CMap) -> CMap {
        let mut builder = Builder {
            name: self.name.clone(),
            vertical: self.vertical,
            ..Builder::default()
        };
        builder.inherit(parent);
        builder.inherit(&self);
        builder.finish()
    }

    /// The /CMapName, when the CMap declares one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Splits the next character code off `bytes`: `(code, byte length)`. Bytes that match no
    /// codespace range still advance by the shortest codespace length (at least one byte), so
    /// decoding a string always terminates.
    pub fn next_code(&self, bytes: &[u8]) -> Option<(u32, usize)> {
        if bytes.is_empty() {
            return None;
        }
        for cs in &self.codespaces {
            let len = usize::from(cs.len);
            let Some(head) = bytes.get(..len) else {
                // Sorted shortest first: no longer range can match either.
                break;
            };
            if cs.matches(head) {
                return Some((be_code(head), len));
            }
        }
        let len = self.fallback_len.clamp(1, bytes.len());
        bytes.get(..len).map(|head| (be_code(head), len))
    }

    /// The Unicode text for `code` (bfchar / bfrange), possibly several characters.
    pub fn to_unicode(&self, code: u32) -> Option<&str> {
        let i = self.unicode.binary_search_by_key(&code, |e| e.0).ok()?;
        let &(_, start, end) = self.unicode.get(i)?;
        self.text.get(start as usize..end as usize)
    }

    /// The CID for `code` (cidchar / cidrange, else notdefrange).
    pub fn to_cid(&self, code: u32) -> Option<u32> {
        if let Some(r) = find_range(&self.cids, code) {
            return r.cid.checked_add(code - r.lo);
        }
        find_range(&self.notdefs, code).map(|r| r.cid)
    }

    /// True for /WMode 1 (vertical writing).
    pub fn is_vertical(&self) -> bool {
        self.vertical
    }

    /// True when the CMap maps no code to Unicode (e.g. an encoding CMap).
    pub fn has_unicode(&self) -> bool {
        !self.unicode.is_empty()
    }

    /// Every (code, text) pair, in code order.
    pub(crate) fn unicode_entries(&self) -> impl Iterator<Item = (u32, &str)> {
        self.unicode.iter().filter_map(|&(code, start, end)| {
            self.text
                .get(start as usize..end as usize)
                .map(|s| (code, s))
        })
    }
}

fn find_range(ranges: &[CidRange], code: u32) -> Option<&CidRange> {
    let i = ranges.partition_point(|r| r.lo <= code);
    let r = ranges.get(i.checked_sub(1)?)?;
    (code <= r.hi).then_some(r)
}

/// Big-endian value of at most four bytes.
fn be_code(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

/// Disjoint ranges where a later insertion overrides the overlapped part of earlier ones, as
/// CMap semantics require (a `usecmap` parent first, then the CMap's own entries).
#[derive(Debug, Default)]
struct RangePainter {
    /// lo → (hi, cid)
    ranges: BTreeMap<u32, (u32, u32)>,
    /// Whether the CID grows with the code (cidrange) or stays fixed (notdefrange).
    fixed: bool,
}

impl RangePainter {
    fn insert(&mut self, lo: u32, hi: u32, cid: u32) {
        let overlapping: Vec<(u32, u32, u32)> = self
            .ranges
            .range(..=hi)
            .rev()
            .take_while(|(_, (h, _))| *h >= lo)
            .map(|(&l, &(h, c))| (l, h, c))
            .collect();
        for (l, h, c) in overlapping {
            self.ranges.remove(&l);
            if l < lo {
                self.ranges.insert(l, (lo - 1, c));
            }
            if h > hi {
                let shifted = if self.fixed {
                    Some(c)
                } else {
                    c.checked_add(hi + 1 - l)
                };
                if let Some(c2) = shifted {
                    self.ranges.insert(hi + 1, (h, c2));
                }
            }
        }
        self.ranges.insert(lo, (hi, cid));
    }

    fn into_vec(self) -> Vec<CidRange> {
        self.ranges
            .into_iter()
            .map(|(lo, (hi, cid))| CidRange { lo, hi, cid })
            .collect()
    }
}

/// Which `begin…` block the parser is inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Codespace,
    BfChar,
    BfRange,
    CidChar,
    CidRange,
    NotdefRange,
}

impl Block {
    fn from_keyword(kw: &[u8]) -> Option<Block> {
        Some(match kw {
            b"begincodespacerange" => Block::Codespace,
            b"beginbfchar" => Block::BfChar,
            b"beginbfrange" => Block::BfRange,
            b"begincidchar" => Block::CidChar,
            b"begincidrange" => Block::CidRange,
            b"beginnotdefrange" => Block::NotdefRange,
            _ => return None,
        })
    }
}

/// An operand inside a mapping block.
#[derive(Debug, Clone)]
enum Item {
    Hex(Vec<u8>),
    Int(i64),
    Name,
    Array(Vec<Vec<u8>>),
    Other,
}

/// What the items collected so far make of one block entry.
enum Entry {
    Complete,
    Incomplete,
    Invalid,
}

#[derive(Debug)]
struct Builder {
    name: Option<String>,
    vertical: bool,
    codespaces: Vec<Codespace>,
    cids: RangePainter,
    notdefs: RangePainter,
    unicode: HashMap<u32, (u32, u32)>,
    text: String,
    /// Assignments made so far (see [`MAX_UNICODE_WORK`]).
    unicode_work: usize,
    /// Bit n set: a mapping's source code had n bytes (guides codes when no codespace exists).
    source_lens: u8,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            name: None,
            vertical: false,
            codespaces: Vec::new(),
            cids: RangePainter::default(),
            notdefs: RangePainter {
                fixed: true,
                ..RangePainter::default()
            },
            unicode: HashMap::new(),
            text: String::new(),
            unicode_work: 0,
            source_lens: 0,
        }
    }
}

impl Builder {
    fn run(&mut self, data: &[u8]) {
        let mut lexer = Lexer { data, pos: 0 };
        // The last few operands before a keyword; only `def` and `usecmap` look at them.
        let mut operands: Vec<Token> = Vec::new();
        while let Some(token) = lexer.next_token() {
            match token {
                Token::Keyword(kw) => {
                    if let Some(block) = Block::from_keyword(kw) {
                        self.run_block(&mut lexer, block);
                    } else if kw == b"usecmap" {
                        if let Some(Token::Name(parent)) = operands.last() {
                            let parent = String::from_utf8_lossy(parent);
                            if let Some(cmap) = predefined(&parent) {
                                self.inherit(cmap);
                            }
                        }
                    } else if kw == b"def" {
                        self.define(&operands);
                    }
                    operands.clear();
                }
                other => {
                    if operands.len() >= 8 {
                        operands.remove(0);
                    }
                    operands.push(other);
                }
            }
        }
    }

    fn define(&mut self, operands: &[Token]) {
        let [.., Token::Name(key), value] = operands else {
            return;
        };
        match (*key, value) {
            (b"WMode", Token::Int(mode)) => self.vertical = *mode == 1,
            (b"CMapName", Token::Name(name)) => {
                self.name = Some(String::from_utf8_lossy(name).into_owned());
            }
            _ => {}
        }
    }

    /// Reads one block's entries up to its `end…` keyword (or any keyword, or the end of the
    /// data: a missing `end…` must not swallow the rest of the CMap).
    fn run_block(&mut self, lexer: &mut Lexer, block: Block) {
        let mut items: Vec<Item> = Vec::new();
        loop {
            let item = match lexer.next_token() {
                None => return,
                Some(Token::Keyword(kw)) if kw.starts_with(b"end") => return,
                Some(Token::Keyword(kw)) if ends_block(kw) => {
                    // The block's `end…` is missing: leave this keyword to the main loop.
                    lexer.pos = lexer.pos.saturating_sub(kw.len());
                    return;
                }
                Some(Token::Hex(bytes)) => Item::Hex(bytes),
                Some(Token::Int(n)) => Item::Int(n),
                Some(Token::Name(_)) => Item::Name,
                Some(Token::ArrayOpen) => Item::Array(read_hex_array(lexer)),
                Some(_) => Item::Other,
            };
            items.push(item);
            loop {
                match entry_shape(block, &items) {
                    Entry::Complete => {
                        self.apply(block, &items);
                        items.clear();
                        break;
                    }
                    Entry::Incomplete => break,
                    Entry::Invalid => {
                        items.remove(0);
                    }
                }
            }
        }
    }

    fn apply(&mut self, block: Block, items: &[Item]) {
        match (block, items) {
            (Block::Codespace, [Item::Hex(lo), Item::Hex(hi)]) => self.add_codespace(lo, hi),
            (Block::BfChar, [Item::Hex(src), Item::Hex(dst)]) => {
                if let Some(code) = self.source_code(src) {
                    let text = utf16_text(dst);
                    self.add_unicode(code, &text);
                }
            }
            (Block::BfRange, [Item::Hex(lo), Item::Hex(hi), dst]) => {
                if let Some((lo, hi)) = self.source_range(lo, hi) {
                    self.add_bf_range(lo, hi, dst);
                }
            }
            (Block::CidChar, [Item::Hex(src), Item::Int(cid)]) => {
                if let (Some(code), Ok(cid)) = (self.source_code(src), u32::try_from(*cid)) {
                    self.cids.insert(code, code, cid);
                }
            }
            (
                Block::CidRange | Block::NotdefRange,
                [Item::Hex(lo), Item::Hex(hi), Item::Int(cid)],
            ) => {
                if let (Some((lo, hi)), Ok(cid)) = (self.source_range(lo, hi), u32::try_from(*cid))
                {
                    if block == Block::CidRange {
                        self.cids.insert(lo, hi, cid);
                    } else {
                        self.notdefs.insert(lo, hi, cid);
                    }
                }
            }
            _ => {}
        }
    }

    fn add_codespace(&mut self, lo: &[u8], hi: &[u8]) {
        // Some producers write a shorter low bound (`<00> <FFFF>`); the high bound's length is
        // the code length and the low bound is read as a number, left-padded with zeros.
        let len = hi.len();
        if len == 0 || len > MAX_CODE_LEN || lo.len() > len {
            return;
        }
        let mut cs = Codespace {
            len: len as u8,
            lo: [0; MAX_CODE_LEN],
            hi: [0; MAX_CODE_LEN],
        };
        let pad = len - lo.len();
        for (i, &l) in lo.iter().enumerate() {
            if let Some(cl) = cs.lo.get_mut(pad + i) {
                *cl = l;
            }
        }
        for (i, &h) in hi.iter().enumerate() {
            if let Some(ch) = cs.hi.get_mut(i) {
                *ch = h;
            }
        }
        if !self.codespaces.contains(&cs) {
            self.codespaces.push(cs);
        }
    }

    fn source_code(&mut self, src: &[u8]) -> Option<u32> {
        if src.is_empty() || src.len() > MAX_CODE_LEN {
            return None;
        }
        self.source_lens |= 1 << src.len();
        Some(be_code(src))
    }

    /// The numeric bounds of a source range, clamped to [`MAX_RANGE_CODES`] codes.
    fn source_range(&mut self, lo: &[u8], hi: &[u8]) -> Option<(u32, u32)> {
        let lo = self.source_code(lo)?;
        let hi = self.source_code(hi)?;
        if hi < lo {
            return None;
        }
        Some((lo, hi.min(lo.saturating_add(MAX_RANGE_CODES - 1))))
    }

    fn add_bf_range(&mut self, lo: u32, hi: u32, dst: &Item) {
        match dst {
            Item::Hex(dst) => {
                // The destination's last character increments through the range; stepping the
                // character rather than the last byte keeps surrogate pairs and ranges that
                // cross a 256 boundary correct.
                let mut text = utf16_text(dst);
                let Some(last) = text.pop() else {
                    return;
                };
                let prefix_len = text.len();
                for (offset, code) in (lo..=hi).enumerate() {
                    let Some(ch) = u32::try_from(offset)
                        .ok()
                        .and_then(|o| u32::from(last).checked_add(o))
                        .and_then(char::from_u32)
                    else {
                        continue;
                    };
                    text.truncate(prefix_len);
                    text.push(ch);
                    if !self.add_unicode(code, &text) {
                        return;
                    }
                }
            }
            Item::Array(dsts) => {
                for (code, dst) in (lo..=hi).zip(dsts) {
                    let text = utf16_text(dst);
                    if !self.add_unicode(code, &text) {
                        return;
                    }
                }
            }
            _ => {}
        }
    }

    /// Records one mapping; false once the entry cap is reached.
    fn add_unicode(&mut self, code: u32, text: &str) -> bool {
        if text.is_empty() {
            return true;
        }
        self.unicode_work += 1;
        if self.unicode_work > MAX_UNICODE_WORK
            || (self.unicode.len() >= MAX_UNICODE_ENTRIES && !self.unicode.contains_key(&code))
        {
            return false;
        }
        let (Ok(start), Ok(end)) = (
            u32::try_from(self.text.len()),
            u32::try_from(self.text.len() + text.len()),
        ) else {
            return false;
        };
        self.text.push_str(text);
        self.unicode.insert(code, (start, end));
        true
    }

    /// Copies `parent`'s tables underneath whatever comes next.
    fn inherit(&mut self, parent: &CMap) {
        for cs in &parent.codespaces {
            if !self.codespaces.contains(cs) {
                self.codespaces.push(*cs);
            }
        }
        for r in &parent.cids {
            self.cids.insert(r.lo, r.hi, r.cid);
        }
        for r in &parent.notdefs {
            self.notdefs.insert(r.lo, r.hi, r.cid);
        }
        for (code, text) in parent.unicode_entries() {
            self.add_unicode(code, text);
        }
        if parent.codespaces.is_empty() && parent.fallback_len > 1 {
            self.source_lens |= 1 << parent.fallback_len;
        }
    }

    fn finish(self) -> CMap {
        let mut codespaces = self.codespaces;
        codespaces.sort_by_key(|cs| (cs.len, cs.lo, cs.hi));
        let fallback_len = match codespaces.first() {
            Some(cs) => usize::from(cs.len),
            // No codespace (common in ToUnicode streams): if every source code had the same
            // length, codes have that length.
            None if self.source_lens.count_ones() == 1 => {
                self.source_lens.trailing_zeros() as usize
            }
            None => 1,
        };
        let mut unicode: Vec<(u32, u32, u32)> = self
            .unicode
            .into_iter()
            .map(|(code, (start, end))| (code, start, end))
            .collect();
        unicode.sort_unstable_by_key(|e| e.0);
        // Compact the text so overridden mappings do not keep their strings alive.
        let mut text = String::new();
        for entry in &mut unicode {
            let Some(s) = self.text.get(entry.1 as usize..entry.2 as usize) else {
                continue;
            };
            let (Ok(start), Ok(end)) = (
                u32::try_from(text.len()),
                u32::try_from(text.len() + s.len()),
            ) else {
                continue;
            };
            text.push_str(s);
            *entry = (entry.0, start, end);
        }
        CMap {
            name: self.name,
            vertical: self.vertical,
            codespaces,
            fallback_len,
            cids: self.cids.into_vec(),
            notdefs: self.notdefs.into_vec(),
            unicode,
            text,
        }
    }
}

/// Classifies the items collected for one entry of `block`.
fn entry_shape(block: Block, items: &[Item]) -> Entry {
    let first_ok = matches!(items.first(), Some(Item::Hex(_)));
    if !first_ok {
        return if items.is_empty() {
            Entry::Incomplete
        } else {
            Entry::Invalid
        };
    }
    match block {
        Block::Codespace => match items.get(1) {
            None => Entry::Incomplete,
            Some(Item::Hex(_)) => Entry::Complete,
            Some(_) => Entry::Invalid,
        },
        Block::BfChar => match items.get(1) {
            None => Entry::Incomplete,
            Some(Item::Hex(_)) => Entry::Complete,
            // A glyph-name destination is legal but carries no Unicode we can use.
            Some(Item::Name) => Entry::Complete,
            Some(_) => Entry::Invalid,
        },
        Block::CidChar => match items.get(1) {
            None => Entry::Incomplete,
            Some(Item::Int(_)) => Entry::Complete,
            Some(_) => Entry::Invalid,
        },
        Block::BfRange | Block::CidRange | Block::NotdefRange => {
            match (items.get(1), items.get(2)) {
                (None, _) => Entry::Incomplete,
                (Some(Item::Hex(_)), None) => Entry::Incomplete,
                (Some(Item::Hex(_)), Some(dst)) => {
                    let ok = match block {
                        Block::BfRange => matches!(dst, Item::Hex(_) | Item::Array(_)),
                        _ => matches!(dst, Item::Int(_)),
                    };
                    if ok { Entry::Complete } else { Entry::Invalid }
                }
                (Some(_), _) => Entry::Invalid,
            }
        }
    }
}

/// Keywords that cannot occur inside a mapping block, so they end one whose `end…` is missing.
fn ends_block(kw: &[u8]) -> bool {
    kw.starts_with(b"begin") || kw.starts_with(b"end") || kw == b"def" || kw == b"usecmap"
}

/// Reads the hex strings of an array up to its `]` (other elements are skipped).
fn read_hex_array(lexer: &mut Lexer) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        match lexer.next_token() {
            None | Some(Token::ArrayClose) => return out,
            Some(Token::Keyword(kw)) if ends_block(kw) => {
                // An unterminated array: leave the keyword for the caller.
                lexer.pos = lexer.pos.saturating_sub(kw.len());
                return out;
            }
            Some(Token::Hex(bytes)) => out.push(bytes),
            Some(_) => {}
        }
    }
}

/// Decodes a UTF-16BE destination string; a single byte is taken as a code point (some
/// producers write `<41>`), unpaired surrogates become U+FFFD.
fn utf16_text(bytes: &[u8]) -> String {
    if let [b] = bytes {
        return char::from(*b).to_string();
    }
    let units = bytes
        .chunks(2)
        .map(|pair| pair.iter().fold(0u16, |acc, &b| (acc << 8) | u16::from(b)));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// A token of the PostScript subset CMaps use.
#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Int(i64),
    Real,
    Hex(Vec<u8>),
    Str,
    Name(&'a [u8]),
    Keyword(&'a [u8]),
    ArrayOpen,
    ArrayClose,
    DictOpen,
    DictClose,
    ProcOpen,
    ProcClose,
}

struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// The next token; every call advances `pos` by at least one byte or returns None.
    fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            let b = self.peek()?;
            if is_space(b) {
                self.pos += 1;
                continue;
            }
            if b == b'%' {
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                }
                continue;
            }
            self.pos += 1;
            return Some(match b {
                b'[' => Token::ArrayOpen,
                b']' => Token::ArrayClose,
                b'{' => Token::ProcOpen,
                b'}' => Token::ProcClose,
                b'<' if self.peek() == Some(b'<') => {
                    self.pos += 1;
                    Token::DictOpen
                }
                b'<' => self.hex_string(),
                b'>' if self.peek() == Some(b'>') => {
                    self.pos += 1;
                    Token::DictClose
                }
                // A stray '>' or ')': skip it.
                b'>' | b')' => continue,
                b'(' => {
                    self.skip_literal_string();
                    Token::Str
                }
                b'/' => Token::Name(self.regular_run()),
                _ => {
                    self.pos -= 1;
                    let word = self.regular_run();
                    classify_word(word)
                }
            });
        }
    }

    /// The bytes up to the next whitespace or delimiter.
    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if is_space(c) || is_delimiter(c) {
                break;
            }
            self.pos += 1;
        }
        self.data.get(start..self.pos).unwrap_or_default()
    }

    fn hex_string(&mut self) -> Token<'a> {
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(c) = self.peek() {
            self.pos += 1;
            let nibble = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                b'>' => break,
                _ => continue,
            };
            match high.take() {
                Some(h) => bytes.push((h << 4) | nibble),
                None => high = Some(nibble),
            }
        }
        // An odd final digit is followed by an implied 0 (PDF 32000-1 §7.3.4.3).
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        Token::Hex(bytes)
    }

    fn skip_literal_string(&mut self) {
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos = (self.pos + 1).min(self.data.len()),
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

fn classify_word(word: &[u8]) -> Token<'_> {
    let Ok(s) = std::str::from_utf8(word) else {
        return Token::Keyword(word);
    };
    if let Ok(n) = s.parse::<i64>() {
        return Token::Int(n);
    }
    if s.parse::<f64>().is_ok() {
        return Token::Real;
    }
    Token::Keyword(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(cmap: &CMap, bytes: &[u8]) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while let Some((code, len)) = cmap.next_code(rest) {
            out.push((code, len));
            rest = rest.get(len..).unwrap_or_default();
        }
        out
    }

    const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
3 beginbfchar
<0003> <0020>
<0010> <516C>  % gong
<0011> <D840DC87>
endbfchar
3 beginbfrange
<0020> <0022> <5F00>
<0030> <0032> [<0041> <00660069> <D840DC89>]
<00FE> <0101> <00FE>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end";

    #[test]
    fn to_unicode_bfchar_bfrange_and_surrogates() {
        let cmap = CMap::parse(TO_UNICODE);
        assert_eq!(cmap.name(), Some("Adobe-Identity-UCS"));
        assert_eq!(cmap.to_unicode(0x0003), Some(" "));
        assert_eq!(cmap.to_unicode(0x0010), Some("公"));
        assert_eq!(cmap.to_unicode(0x0011), Some("\u{20087}"));
        assert_eq!(cmap.to_unicode(0x0020), Some("开"));
        assert_eq!(cmap.to_unicode(0x0022), Some("\u{5F02}"));
        assert_eq!(cmap.to_unicode(0x0023), None);
        assert_eq!(cmap.to_unicode(0x0030), Some("A"));
        assert_eq!(cmap.to_unicode(0x0031), Some("fi"));
        assert_eq!(cmap.to_unicode(0x0032), Some("\u{20089}"));
        // Incrementing across a 256 boundary carries into the next byte.
        assert_eq!(cmap.to_unicode(0x0100), Some("\u{100}"));
        assert_eq!(cmap.to_unicode(0x0101), Some("\u{101}"));
        assert!(!cmap.is_vertical());
        assert_eq!(
            decode_all(&cmap, &[0, 0x10, 0, 0x20, 0x7f]),
            vec![(0x10, 2), (0x20, 2), (0x7f, 1)]
        );
    }

    #[test]
    fn without_codespace_codes_take_the_source_length() {
        let cmap = CMap::parse(b"beginbfchar <0102> <4E00> endbfchar");
        assert_eq!(cmap.next_code(&[1, 2, 3]), Some((0x0102, 2)));
        assert_eq!(cmap.to_unicode(0x0102), Some("一"));
        let one_byte = CMap::parse(b"beginbfchar <41> <0041> endbfchar");
        assert_eq!(one_byte.next_code(&[0x41, 0x42]), Some((0x41, 1)));
    }

    #[test]
    fn cid_ranges_notdef_and_wmode() {
        let cmap = CMap::parse(
            b"/WMode 1 def
              2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
              1 beginnotdefrange <00> <1f> 7716 endnotdefrange
              2 begincidrange <21> <7e> 814 <b9a1> <b9fe> 1000 endcidrange
              1 begincidchar <b9ab> 5 endcidchar",
        );
        assert!(cmap.is_vertical());
        assert_eq!(cmap.to_cid(0x21), Some(814));
        assert_eq!(cmap.to_cid(0x7e), Some(814 + 0x5d));
        assert_eq!(cmap.to_cid(0x05), Some(7716));
        assert_eq!(cmap.to_cid(0x1f), Some(7716));
        // The later cidchar overrides the middle of the earlier range.
        assert_eq!(cmap.to_cid(0xb9aa), Some(1009));
        assert_eq!(cmap.to_cid(0xb9ab), Some(5));
        assert_eq!(cmap.to_cid(0xb9ac), Some(1011));
        assert_eq!(cmap.to_cid(0x9000), None);
        assert_eq!(
            decode_all(&cmap, &[0x41, 0xb9, 0xab, 0x81, 0x20]),
            vec![
                (0x41, 1),
                (0xb9ab, 2),
                // 0x81 0x20 matches no range: the shortest length is consumed.
                (0x81, 1),
                (0x20, 1)
            ]
        );
    }

    #[test]
    fn identity() {
        let h = CMap::identity(false);
        let v = CMap::identity(true);
        assert!(v.is_vertical() && !h.is_vertical());
        assert_eq!(h.next_code(&[0x12, 0x34, 0x56]), Some((0x1234, 2)));
        assert_eq!(h.next_code(&[0x56]), Some((0x56, 1)));
        assert_eq!(h.next_code(&[]), None);
        assert_eq!(h.to_cid(0x1234), Some(0x1234));
        assert_eq!(h.to_cid(0xffff), Some(0xffff));
    }

    #[test]
    fn huge_range_is_clamped() {
        let cmap = CMap::parse(
            b"begincodespacerange <00000000> <FFFFFFFF> endcodespacerange
              beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange",
        );
        assert_eq!(cmap.to_unicode(0), Some("A"));
        assert_eq!(cmap.to_unicode(MAX_RANGE_CODES - 1), Some("\u{10040}"));
        assert_eq!(cmap.to_unicode(MAX_RANGE_CODES), None);
    }

    #[test]
    fn repeated_full_ranges_are_bounded() {
        let mut data = b"begincodespacerange <0000> <FFFF> endcodespacerange\n".to_vec();
        for _ in 0..200 {
            data.extend_from_slice(b"beginbfrange <0000> <FFFF> <4E00> endbfrange\n");
        }
        let start = std::time::Instant::now();
        let cmap = CMap::parse(&data);
        assert!(start.elapsed().as_secs() < 20);
        assert_eq!(cmap.to_unicode(0), Some("一"));
        assert_eq!(cmap.to_unicode(0xffff), Some("\u{14DFF}"));
    }

    #[test]
    fn short_low_codespace_bound_is_padded() {
        let cmap = CMap::parse(b"begincodespacerange <00> <FFFF> endcodespacerange");
        assert_eq!(cmap.next_code(&[0x00, 0x41, 0x42]), Some((0x41, 2)));
    }

    #[test]
    fn malformed_input_keeps_what_parses() {
        let inputs: [&[u8]; 9] = [
            b"",
            b"begincodespacerange <00",
            b"beginbfrange <0000> <0005> [<0041> <0042>",
            b"beginbfchar <01> <0041> junk <02> <0042> (str) <03> <0043> endbfchar",
            b"<<<<>>>>]]][[[{{}} /WMode /WMode def 1 def (((unterminated",
            b"begincidrange <10> <05> 3 <0a> <0b> -4 <ff> <ff> 99999999999999999999 endcidrange",
            b"beginbfrange <0000> <0002> <D800> endbfrange",
            b"% only a comment",
            &[0xff, 0xfe, b'<', 0x80, b'/', 0x00, b')', b'>'],
        ];
        for input in inputs {
            let cmap = CMap::parse(input);
            let _ = decode_all(&cmap, input);
        }
        let partial = CMap::parse(inputs[3]);
        assert_eq!(partial.to_unicode(1), Some("A"));
        assert_eq!(partial.to_unicode(2), Some("B"));
        assert_eq!(partial.to_unicode(3), Some("C"));
        let unterminated = CMap::parse(inputs[2]);
        assert_eq!(unterminated.to_unicode(1), Some("B"));
        assert_eq!(unterminated.to_unicode(2), None);
        let bad_cids = CMap::parse(inputs[5]);
        assert_eq!(bad_cids.to_cid(0x05), None);
        assert_eq!(bad_cids.to_cid(0x0a), None);
        // A lone high surrogate destination decodes to U+FFFD instead of failing.
        let surrogate = CMap::parse(inputs[6]);
        assert_eq!(surrogate.to_unicode(0), Some("\u{FFFD}"));
    }

    #[test]
    fn with_parent_layers_entries() {
        let parent = CMap::parse(
            b"begincodespacerange <0000> <FFFF> endcodespacerange
              begincidrange <0000> <00ff> 100 endcidrange",
        );
        let child = CMap::parse(b"begincidchar <0010> 7 endcidchar /WMode 1 def");
        let merged = child.with_parent(&parent);
        assert!(merged.is_vertical());
        assert_eq!(merged.to_cid(0x10), Some(7));
        assert_eq!(merged.to_cid(0x11), Some(117));
        assert_eq!(merged.next_code(&[0, 0x11]), Some((0x11, 2)));
    }
}
