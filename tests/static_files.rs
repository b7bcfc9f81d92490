//! The page shell and style sheet are well formed: a stray or missing brace in
//! `static/style.css` silently drops every rule after it.

#[test]
fn style_sheet_braces_balance() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/style.css")).unwrap();
    let mut depth = 0i32;
    for (n, line) in css.lines().enumerate() {
        for c in line.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        assert!((0..=2).contains(&depth), "style.css line {}: nesting depth {depth}", n + 1);
    }
    assert_eq!(depth, 0, "style.css: unbalanced braces");
}

#[test]
fn page_shell_forbids_other_origins() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
    assert!(html.contains("http-equiv=\"Content-Security-Policy\""));
    assert!(html.contains("default-src 'self'"));
}
