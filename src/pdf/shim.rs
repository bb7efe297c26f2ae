//! Temporary stand-in for the "cjk" helper's cmap/predefined/unicode/truetype modules, with
//! the same API, so the PDF layer builds and can be measured before those land. Removed at merge.

pub mod cmap {
    use std::collections::HashMap;

    #[derive(Debug, Default, Clone)]
    pub struct CMap {
        ranges: Vec<(u32, u32, usize)>,
        uni: HashMap<u32, String>,
        cid: HashMap<u32, u32>,
        vertical: bool,
    }

    fn tokens(data: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < data.len() {
            let c = data[i];
            if c.is_ascii_whitespace() {
                i += 1;
            } else if c == b'<' && data.get(i + 1) != Some(&b'<') {
                let end = data[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| i + p);
                let mut t = vec![b'<'];
                t.extend(data[i + 1..end].iter().filter(|b| b.is_ascii_hexdigit()));
                out.push(t);
                i = end + 1;
            } else if c == b'[' || c == b']' {
                out.push(vec![c]);
                i += 1;
            } else if c == b'%' {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            } else {
                let start = i;
                while i < data.len() && !data[i].is_ascii_whitespace() && !b"[]<".contains(&data[i])
                {
                    i += 1;
                }
                if i == start {
                    i += 1;
                }
                out.push(data[start..i].to_vec());
            }
        }
        out
    }

    fn hex(t: &[u8]) -> Option<(u32, usize)> {
        if t.first() != Some(&b'<') {
            return None;
        }
        let h = &t[1..];
        let mut v: u32 = 0;
        for &b in h.iter().take(8) {
            v = v << 4 | (b as char).to_digit(16)?;
        }
        Some((v, h.len().div_ceil(2)))
    }

    fn utf16(t: &[u8]) -> String {
        let h = &t[1..];
        let units: Vec<u16> = h
            .chunks(4)
            .filter_map(|c| u16::from_str_radix(std::str::from_utf8(c).ok()?, 16).ok())
            .collect();
        char::decode_utf16(units).filter_map(Result::ok).collect()
    }

    impl CMap {
        pub fn parse(data: &[u8]) -> CMap {
            let t = tokens(data);
            let mut m = CMap::default();
            let mut i = 0;
            while i < t.len() {
                match t[i].as_slice() {
                    b"begincodespacerange" => {
                        i += 1;
                        while i + 1 < t.len() && t[i] != b"endcodespacerange" {
                            if let (Some((a, n)), Some((b, _))) = (hex(&t[i]), hex(&t[i + 1])) {
                                m.ranges.push((a, b, n));
                            }
                            i += 2;
                        }
                    }
                    b"beginbfchar" => {
                        i += 1;
                        while i + 1 < t.len() && t[i] != b"endbfchar" {
                            if let Some((a, _)) = hex(&t[i])
                                && t[i + 1].first() == Some(&b'<')
                            {
                                m.uni.insert(a, utf16(&t[i + 1]));
                            }
                            i += 2;
                        }
                    }
                    b"beginbfrange" => {
                        i += 1;
                        while i + 2 < t.len() && t[i] != b"endbfrange" {
                            let (Some((a, _)), Some((b, _))) = (hex(&t[i]), hex(&t[i + 1])) else {
                                i += 1;
                                continue;
                            };
                            if t[i + 2] == b"[" {
                                i += 3;
                                let mut c = a;
                                while i < t.len() && t[i] != b"]" {
                                    m.uni.insert(c, utf16(&t[i]));
                                    c += 1;
                                    i += 1;
                                }
                                i += 1;
                            } else {
                                let s = utf16(&t[i + 2]);
                                let mut u: Vec<u16> = s.encode_utf16().collect();
                                for c in a..=b.min(a + 65535) {
                                    m.uni.insert(c, String::from_utf16_lossy(&u));
                                    if let Some(l) = u.last_mut() {
                                        *l = l.wrapping_add(1);
                                    }
                                }
                                i += 3;
                            }
                        }
                    }
                    b"begincidrange" => {
                        i += 1;
                        while i + 2 < t.len() && t[i] != b"endcidrange" {
                            if let (Some((a, _)), Some((b, _))) = (hex(&t[i]), hex(&t[i + 1])) {
                                let c: u32 = std::str::from_utf8(&t[i + 2])
                                    .ok()
                                    .and_then(|s| s.parse().ok())
                                    .unwrap_or(0);
                                for k in a..=b.min(a + 65535) {
                                    m.cid.insert(k, c + k - a);
                                }
                            }
                            i += 3;
                        }
                    }
                    b"/WMode" => {
                        m.vertical = t.get(i + 1).map(|v| v.as_slice()) == Some(b"1");
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
            m
        }
        pub fn next_code(&self, bytes: &[u8]) -> Option<(u32, usize)> {
            if bytes.is_empty() {
                return None;
            }
            let mut code = 0u32;
            for n in 1..=4usize.min(bytes.len()) {
                code = code << 8 | bytes[n - 1] as u32;
                if self
                    .ranges
                    .iter()
                    .any(|&(a, b, l)| l == n && a <= code && code <= b)
                {
                    return Some((code, n));
                }
            }
            let n = if self.ranges.iter().all(|r| r.2 == 2) && bytes.len() >= 2 {
                2
            } else {
                1
            };
            let mut code = 0;
            for b in &bytes[..n] {
                code = code << 8 | *b as u32;
            }
            Some((code, n))
        }
        pub fn to_unicode(&self, code: u32) -> Option<&str> {
            self.uni.get(&code).map(|s| s.as_str())
        }
        pub fn to_cid(&self, code: u32) -> Option<u32> {
            self.cid.get(&code).copied()
        }
        pub fn is_vertical(&self) -> bool {
            self.vertical
        }
    }
}

pub mod predefined {
    use super::cmap::CMap;
    use once_cell::sync::Lazy;
    static IDH: Lazy<CMap> = Lazy::new(|| {
        CMap::parse(b"begincodespacerange <0000> <FFFF> endcodespacerange begincidrange <0000> <FFFF> 0 endcidrange")
    });
    static IDV: Lazy<CMap> = Lazy::new(|| {
        CMap::parse(b"/WMode 1 def begincodespacerange <0000> <FFFF> endcodespacerange begincidrange <0000> <FFFF> 0 endcidrange")
    });
    static UCS2: Lazy<CMap> =
        Lazy::new(|| CMap::parse(b"begincodespacerange <0000> <FFFF> endcodespacerange"));
    pub fn predefined(name: &str) -> Option<&'static CMap> {
        match name {
            "Identity-H" => Some(&IDH),
            "Identity-V" => Some(&IDV),
            "UniGB-UCS2-H" | "UniGB-UCS2-V" => Some(&UCS2),
            _ => None,
        }
    }
    pub fn adobe_gb1_to_unicode(cid: u32) -> Option<char> {
        let _ = cid;
        None
    }
}

pub mod unicode {
    pub fn fold_compat(c: char) -> char {
        c
    }
}

pub mod truetype {
    use std::collections::HashMap;
    pub fn gid_to_unicode(font_file: &[u8]) -> HashMap<u16, char> {
        let mut m = HashMap::new();
        if let Ok(face) = ttf_parser::Face::parse(font_file, 0)
            && let Some(cmap) = face.tables().cmap
        {
            for st in cmap.subtables {
                if !st.is_unicode() {
                    continue;
                }
                st.codepoints(|cp| {
                    if let (Some(g), Some(c)) = (st.glyph_index(cp), char::from_u32(cp)) {
                        m.entry(g.0).or_insert(c);
                    }
                });
            }
        }
        m
    }
}
