//! Unit tests of font decoding and page geometry on small PDFs built here with lopdf.

use gongkai::layout::render_text;
use gongkai::pdf::{Document, Page};
use lopdf::{Dictionary, Object, Stream, dictionary};

/// A one-page PDF whose page uses `font` as /F1 and runs `content`; `page_extra` adds page keys.
fn build(
    font: Dictionary,
    content: &[u8],
    page_extra: Dictionary,
    xobjects: Option<Dictionary>,
) -> Vec<u8> {
    build_with(|_| font, content, page_extra, |_| xobjects)
}

/// Like [`build`], with the font and XObjects made by closures that can add indirect objects
/// (streams must be indirect).
fn build_with(
    font: impl FnOnce(&mut lopdf::Document) -> Dictionary,
    content: &[u8],
    page_extra: Dictionary,
    xobjects: impl FnOnce(&mut lopdf::Document) -> Option<Dictionary>,
) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = font(&mut doc);
    let xobjects = xobjects(&mut doc);
    let font_id = doc.add_object(font);
    let mut resources = dictionary! { "Font" => dictionary! { "F1" => font_id } };
    if let Some(x) = xobjects {
        resources.set("XObject", x);
    }
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let mut page = dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
    };
    for (k, v) in page_extra.iter() {
        page.set(k.clone(), v.clone());
    }
    let page_id = doc.add_object(page);
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write test PDF");
    out
}

fn first_page(bytes: &[u8]) -> Page {
    let doc = Document::load(bytes, None).expect("load");
    doc.page(1).expect("page 1")
}

fn text(page: &Page) -> String {
    page.glyphs.iter().map(|g| g.ch).collect()
}

fn cid_font(
    encoding: &str,
    to_unicode: Option<lopdf::ObjectId>,
    doc_extra: Dictionary,
) -> Dictionary {
    let mut descendant = dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("GB1"), "Supplement" => 4 },
        "DW" => 1000,
    };
    for (k, v) in doc_extra.iter() {
        descendant.set(k.clone(), v.clone());
    }
    let mut font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
        "Encoding" => encoding,
        "DescendantFonts" => vec![Object::Dictionary(descendant)],
    };
    if let Some(s) = to_unicode {
        font.set("ToUnicode", s);
    }
    font
}

#[test]
fn to_unicode_bfrange_both_forms() {
    let cmap = b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfrange <0001> <0003> <4E00> <0010> <0011> [<4E2D> <56FD>] endbfrange endcmap";
    let font = |d: &mut lopdf::Document| {
        let id = d.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
        cid_font("Identity-H", Some(id), dictionary! {})
    };
    let content = b"BT /F1 12 Tf 100 700 Td <000100020003> Tj <00100011> Tj ET";
    let page = first_page(&build_with(font, content, dictionary! {}, |_| None));
    assert_eq!(text(&page), "一丁丂中国");
    // Advances come from DW = 1000: each glyph is 12pt wide and they follow each other.
    let g = &page.glyphs;
    assert!(
        (g[0].x0 - 100.0).abs() < 0.01 && (g[1].x0 - 112.0).abs() < 0.01,
        "{g:?}"
    );
    assert!((g[4].x0 - 148.0).abs() < 0.01);
    // Baseline at y=700 from the bottom is 100 from the top; the box sits above it.
    assert!(g[0].y0 < 100.0 && g[0].y1 > 100.0 && g[0].y1 - 100.0 < 3.0);
}

#[test]
fn unigb_ucs2_codes_are_unicode() {
    let font = cid_font("UniGB-UCS2-H", None, dictionary! {});
    let page = first_page(&build(
        font,
        b"BT /F1 10 Tf 50 50 Td <9884 7B97> Tj ET",
        dictionary! {},
        None,
    ));
    assert_eq!(text(&page), "预算");
}

#[test]
fn differences_with_glyph_names() {
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => dictionary! { "Type" => "Encoding", "BaseEncoding" => "WinAnsiEncoding",
            "Differences" => vec![65.into(), Object::Name(b"uni5143".to_vec()), Object::Name(b"Euro".to_vec())] },
    };
    let page = first_page(&build(
        font,
        b"BT /F1 10 Tf 50 50 Td (ABxy) Tj ET",
        dictionary! {},
        None,
    ));
    assert_eq!(text(&page), "元€xy");
}

#[test]
fn rotate_90_page_reads_upright() {
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" };
    // A landscape page: the producer draws text rotated 90° counter-clockwise in user space.
    let content = b"BT /F1 10 Tf 0 1 -1 0 500 100 Tm (AB) Tj ET";
    let page = first_page(&build(font, content, dictionary! { "Rotate" => 90 }, None));
    assert_eq!((page.width, page.height, page.rotate), (800.0, 600.0, 90));
    let g = &page.glyphs;
    assert_eq!(text(&page), "AB");
    assert!(!g[0].vertical && g[1].x0 > g[0].x0, "{g:?}");
    assert!((g[0].y1 - g[1].y1).abs() < 0.01);
    assert!(render_text(&page).contains("AB"));
}

#[test]
fn image_only_page() {
    let image = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0],
    );
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
    let bytes = build_with(
        |_| font,
        b"q 600 0 0 800 0 0 cm /Im1 Do Q",
        dictionary! {},
        |d| {
            let id = d.add_object(image);
            Some(dictionary! { "Im1" => id })
        },
    );
    let page = first_page(&bytes);
    assert!(page.glyphs.is_empty());
    assert!(page.has_images);
}

#[test]
fn ruling_lines_and_rects() {
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
    let bytes = build(
        font,
        b"10 10 100 50 re S 0 0 m 200 0 l S 5 5 m 9 9 l W n",
        dictionary! {},
        None,
    );
    let page = first_page(&bytes);
    assert_eq!(page.rects.len(), 1);
    let r = page.rects[0];
    assert!(r.stroked && !r.filled && (r.y0 - 740.0).abs() < 0.01 && (r.y1 - 790.0).abs() < 0.01);
    assert_eq!(page.segments.len(), 1, "clip path must not create segments");
}

/// A border drawn as a filled sliver with mitred ends (广州's producer): `x0 y0 m … h f`.
fn sliver(out: &mut String, x0: f32, y0: f32, x1: f32, y1: f32) {
    let w = 0.75;
    if (y1 - y0).abs() < 0.01 {
        out.push_str(&format!(
            "{x1} {y0} m {x0} {y0} l {x0} {} l {} {} l h f\n",
            y0 + w,
            x1 - w,
            y0 + w
        ));
    } else {
        out.push_str(&format!(
            "{x0} {y1} m {x0} {y0} l {} {} l {} {y1} l h f\n",
            x0 + w,
            y0 + w,
            x0 + w
        ));
    }
}

#[test]
fn filled_sliver_borders_are_ruling_lines() {
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
    // Two rows × three columns, every border a sliver; a large filled triangle is no rule.
    let mut content = String::from("0 0 m 300 0 l 150 200 l h f\n");
    for y in [700.0, 680.0, 660.0] {
        sliver(&mut content, 50.0, y, 350.0, y);
    }
    for x in [50.0, 150.0, 250.0, 350.0] {
        sliver(&mut content, x, 660.0, x, 700.0);
    }
    content.push_str("BT /F1 10 Tf 60 685 Td (Item) Tj 100 0 Td (12.5) Tj 100 0 Td (7) Tj ET\n");
    content.push_str("BT /F1 10 Tf 60 665 Td (Other) Tj 100 0 Td (3) Tj 100 0 Td (4) Tj ET\n");
    let page = first_page(&build(font, content.as_bytes(), dictionary! {}, None));
    assert_eq!(page.rects.len(), 7, "{:?}", page.rects);
    assert!(
        page.rects
            .iter()
            .all(|r| r.filled && ((r.x1 - r.x0) <= 1.0 || (r.y1 - r.y0) <= 1.0))
    );
    let layout = gongkai::layout::layout_page(&page);
    let grids: Vec<&gongkai::layout::Grid> = layout
        .blocks
        .iter()
        .filter_map(|b| match b {
            gongkai::layout::Block::Table(g) => Some(g),
            gongkai::layout::Block::Text(_) => None,
        })
        .collect();
    assert_eq!(grids.len(), 1, "{:?}", layout.blocks);
    let g = grids[0];
    assert!(g.ruled);
    assert_eq!(g.n_cols(), 3);
    let cells: Vec<Vec<&str>> = g
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert_eq!(
        cells,
        vec![vec!["Item", "12.5", "7"], vec!["Other", "3", "4"]]
    );
}

#[test]
fn identity_h_through_embedded_truetype_cmap() {
    let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let Ok(data) = std::fs::read(path) else {
        // .ci/run installs the font, so CI never skips this test.
        assert!(
            std::env::var_os("CI").is_none(),
            "{path} absent: install fonts-dejavu-core"
        );
        eprintln!("SKIP: {path} absent (Debian package fonts-dejavu-core)");
        return;
    };
    let face = ttf_parser::Face::parse(&data, 0).expect("parse DejaVuSans");
    let gid = |c: char| face.glyph_index(c).expect("glyph").0;
    let file = Stream::new(dictionary! {}, data.clone());
    let font = |d: &mut lopdf::Document| {
        let file_id = d.add_object(file);
        let descriptor = dictionary! { "Type" => "FontDescriptor", "FontName" => "DejaVuSans", "FontFile2" => file_id };
        dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "DejaVuSans", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Dictionary(dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "DejaVuSans",
                "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
                "FontDescriptor" => descriptor,
            })],
        }
    };
    let mut content = b"BT /F1 10 Tf 50 50 Td <".to_vec();
    for c in ['Z', 'e', 'n'] {
        content.extend(format!("{:04X}", gid(c)).bytes());
    }
    content.extend(b"> Tj ET");
    let page = first_page(&build_with(font, &content, dictionary! {}, |_| None));
    assert_eq!(text(&page), "Zen");
}

#[test]
fn malformed_and_truncated_are_errors() {
    assert!(Document::load(b"not a pdf at all", None).is_err());
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
    let bytes = build(
        font,
        b"BT /F1 10 Tf 50 50 Td (A) Tj ET",
        dictionary! {},
        None,
    );
    let doc = Document::load(&bytes, None).expect("load");
    assert!(matches!(
        doc.page(2),
        Err(gongkai::pdf::PdfError::NoSuchPage(2))
    ));
}

#[test]
fn gbk_euc_h_mixes_one_and_two_byte_codes() {
    // GBK bytes of 预 算 A 元: two-byte codes for the ideographs, one byte for ASCII.
    let font = cid_font("GBK-EUC-H", None, dictionary! {});
    let page = first_page(&build(
        font,
        b"BT /F1 10 Tf 50 50 Td <D4A4CBE341D4AA> Tj ET",
        dictionary! {},
        None,
    ));
    assert_eq!(text(&page), "预算A元");
    // The ASCII code is a proportional Adobe-GB1 CID, but with only DW every glyph is 1 em.
    let g = &page.glyphs;
    assert!((g[3].x0 - 80.0).abs() < 0.01, "{g:?}");
}

#[test]
fn identity_h_without_to_unicode_reads_adobe_gb1_cids() {
    // A non-embedded Adobe-GB1 font shown through Identity-H: codes are CIDs, and only the
    // collection's CID → Unicode table can name them (0x10E7 is 预, 0x0DD8 is 算).
    let font = cid_font("Identity-H", None, dictionary! {});
    let page = first_page(&build(
        font,
        b"BT /F1 10 Tf 50 50 Td <10E70DD8> Tj ET",
        dictionary! {},
        None,
    ));
    assert_eq!(text(&page), "预算");
}

#[test]
fn identity_v_text_runs_down_the_page() {
    let font = cid_font("Identity-V", None, dictionary! {});
    let page = first_page(&build(
        font,
        b"BT /F1 10 Tf 100 700 Td <10E70DD8> Tj ET",
        dictionary! {},
        None,
    ));
    assert_eq!(text(&page), "预算");
    let g = &page.glyphs;
    assert!(g.iter().all(|g| g.vertical), "{g:?}");
    // Vertical advance of 1 em (default W2): the second glyph sits 10pt lower, same column.
    assert!((g[1].y0 - g[0].y0 - 10.0).abs() < 0.5, "{g:?}");
    assert!((g[1].x0 - g[0].x0).abs() < 0.5, "{g:?}");
}

#[test]
fn type3_font_widths_through_font_matrix_and_text_through_to_unicode() {
    // Chromium writes CJK text as Type 3 fonts: glyph space is 1000 units here, the widths
    // must go through the FontMatrix, and only ToUnicode names the glyphs.
    let cmap = b"begincmap 1 begincodespacerange <00> <FF> endcodespacerange
2 beginbfchar <01> <9884> <02> <7B97> endbfchar endcmap";
    let font = |d: &mut lopdf::Document| {
        let proc_id = d.add_object(Stream::new(dictionary! {}, b"500 0 d0".to_vec()));
        let tu = d.add_object(Stream::new(dictionary! {}, cmap.to_vec()));
        dictionary! {
            "Type" => "Font", "Subtype" => "Type3",
            "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
            "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
            "CharProcs" => dictionary! { "g1" => proc_id, "g2" => proc_id },
            "Encoding" => dictionary! { "Type" => "Encoding", "Differences" => vec![1.into(), Object::Name(b"g1".to_vec()), Object::Name(b"g2".to_vec())] },
            "FirstChar" => 1, "LastChar" => 2,
            "Widths" => vec![500.into(), 800.into()],
            "Resources" => dictionary! {},
            "ToUnicode" => tu,
        }
    };
    let page = first_page(&build_with(
        font,
        b"BT /F1 20 Tf 50 50 Td <0102> Tj ET",
        dictionary! {},
        |_| None,
    ));
    assert_eq!(text(&page), "预算");
    // 500 units × 0.001 × 20pt = 10pt advance; the second glyph is 800 units = 16pt wide.
    let g = &page.glyphs;
    assert!((g[1].x0 - g[0].x0 - 10.0).abs() < 0.01, "{g:?}");
    assert!((g[1].x1 - g[1].x0 - 16.0).abs() < 0.01, "{g:?}");
}

/// The one-page Helvetica "A" document, encrypted with RC4-128 and the given user password.
fn encrypted(user_password: &str) -> Vec<u8> {
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
    let plain = build(
        font,
        b"BT /F1 10 Tf 50 50 Td (A) Tj ET",
        dictionary! {},
        None,
    );
    let mut doc = lopdf::Document::load_mem(&plain).expect("reload");
    // The file ID keys the encryption.
    let id = Object::string_literal(b"gongkai-test-id-".to_vec());
    doc.trailer.set("ID", vec![id.clone(), id]);
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    })
    .expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("write");
    out
}

#[test]
fn encrypted_with_empty_user_password_opens() {
    let page = first_page(&encrypted(""));
    assert_eq!(text(&page), "A");
}

#[test]
fn encrypted_with_a_user_password_needs_it() {
    let bytes = encrypted("secret");
    let err = Document::load(&bytes, None).err().expect("must not open");
    assert!(
        matches!(err, gongkai::pdf::PdfError::Encrypted(_)),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("encrypted"), "{err}");
    assert!(Document::load(&bytes, Some("wrong")).is_err());
    let doc = Document::load(&bytes, Some("secret")).expect("opens with its password");
    assert_eq!(text(&doc.page(1).expect("page 1")), "A");
}
