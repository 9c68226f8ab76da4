//! One page model, three renderings. A report that exists in text,
//! Markdown and HTML is built once as a [`Page`] of headings, lines, lists,
//! tables and figures; each format is a walk over the same blocks, so a
//! caveat, a number or a section cannot be in one format and missing from
//! another. Every string is escaped for the format it lands in.

/// A report page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A block of a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    /// Lines of prose kept together (a paragraph whose lines break where given).
    Lines(Vec<String>),
    /// A bulleted list.
    List(Vec<String>),
    Table(Table),
    /// A picture: SVG in HTML; in text and Markdown, its caption only.
    Figure {
        svg: String,
        caption: String,
    },
}

/// A table: a header row and rows of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Row>,
}

/// A row, with an optional style class (HTML colours a check's status by it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub class: Option<&'static str>,
}

/// A cell: text, emphasised or not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub text: String,
    pub strong: bool,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            strong: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

impl Cell {
    pub fn strong(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            strong: true,
        }
    }
}

impl Row {
    pub fn new(cells: Vec<Cell>) -> Row {
        Row { cells, class: None }
    }
}

impl Table {
    pub fn new(head: &[&str]) -> Table {
        Table {
            head: head.iter().map(|h| h.to_string()).collect(),
            rows: vec![],
        }
    }
    pub fn push(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row::new(cells));
    }
}

/// Escapes a string for a Markdown table cell or line: pipes, line breaks and
/// angle brackets (a name must not become HTML when the Markdown is rendered).
pub fn md_escape(s: &str) -> String {
    text_clean(s)
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Escapes a string for HTML text or an attribute.
pub fn html_escape(s: &str) -> String {
    reach::map::escape(s)
}

/// Drops terminal control characters (an escape code in a deal name must not
/// drive the user's terminal); keeps line breaks and tabs.
pub fn text_clean(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// The style of standalone HTML reports.
const STYLE: &str = "body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}th{background:#f3f3f3}.met{background:#e5f5e0}.partial{background:#fff3cd}.crossed{background:#f8d7da}.unknown{background:#eee}svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}";

/// A Content-Security-Policy for the standalone HTML reports: they carry no
/// script at all, so a string that escaped escaping still could not run when a
/// colleague opens the file (defence in depth; every user string is escaped).
pub const REPORT_CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">";

impl Page {
    pub fn new(title: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            blocks: vec![],
        }
    }

    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    pub fn heading(&mut self, h: impl Into<String>) {
        self.blocks.push(Block::Heading(h.into()));
    }

    pub fn line(&mut self, l: impl Into<String>) {
        self.blocks.push(Block::Lines(vec![l.into()]));
    }

    /// Markdown: `#` title, `##` headings, pipe tables.
    pub fn markdown(&self) -> String {
        let mut s = format!("# {}\n", md_escape(&self.title));
        for b in &self.blocks {
            s.push('\n');
            match b {
                Block::Heading(h) => s += &format!("## {}\n", md_escape(h)),
                Block::Lines(ls) => {
                    for l in ls {
                        s += &md_escape(l);
                        s.push('\n');
                    }
                }
                Block::List(items) => {
                    for i in items {
                        s += &format!("- {}\n", md_escape(i));
                    }
                }
                Block::Table(t) => {
                    s += &format!(
                        "| {} |\n|{}\n",
                        t.head
                            .iter()
                            .map(|h| md_escape(h))
                            .collect::<Vec<_>>()
                            .join(" | "),
                        "---|".repeat(t.head.len())
                    );
                    for r in &t.rows {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| {
                                let t = md_escape(&c.text);
                                if c.strong && !t.is_empty() {
                                    format!("**{t}**")
                                } else {
                                    t
                                }
                            })
                            .collect();
                        s += &format!("| {} |\n", cells.join(" | "));
                    }
                }
                Block::Figure { caption, .. } => {
                    s += &format!("{} (the map is in the HTML report)\n", md_escape(caption))
                }
            }
        }
        s
    }

    /// Plain text: the title and headings underlined, tables in aligned columns.
    pub fn text(&self) -> String {
        let title = text_clean(&self.title);
        let mut s = format!("{title}\n{}\n", "=".repeat(title.chars().count()));
        for b in &self.blocks {
            s.push('\n');
            match b {
                Block::Heading(h) => {
                    let h = text_clean(h);
                    s += &format!("{h}\n{}\n", "-".repeat(h.chars().count()));
                }
                Block::Lines(ls) => {
                    for l in ls {
                        s += &text_clean(l);
                        s.push('\n');
                    }
                }
                Block::List(items) => {
                    for i in items {
                        s += &format!("  - {}\n", text_clean(i));
                    }
                }
                Block::Table(t) => s += &text_table(t),
                Block::Figure { caption, .. } => {
                    s += &format!("{} (the map is in the HTML report)\n", text_clean(caption))
                }
            }
        }
        s
    }

    /// A standalone HTML page with no script.
    pub fn html(&self) -> String {
        let e = html_escape;
        let mut s = String::from("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">");
        s += REPORT_CSP_META;
        s += &format!(
            "<title>{}</title><style>{STYLE}</style></head><body><h1>{}</h1>",
            e(&self.title),
            e(&self.title)
        );
        for b in &self.blocks {
            match b {
                Block::Heading(h) => s += &format!("<h2>{}</h2>", e(h)),
                Block::Lines(ls) => {
                    s += &format!(
                        "<p>{}</p>",
                        ls.iter().map(|l| e(l)).collect::<Vec<_>>().join("<br>")
                    )
                }
                Block::List(items) => {
                    s += "<ul>";
                    for i in items {
                        s += &format!("<li>{}</li>", e(i));
                    }
                    s += "</ul>";
                }
                Block::Table(t) => {
                    s += "<table><tr>";
                    for h in &t.head {
                        s += &format!("<th>{}</th>", e(h));
                    }
                    s += "</tr>";
                    for r in &t.rows {
                        match r.class {
                            Some(c) => s += &format!("<tr class=\"{c}\">"),
                            None => s += "<tr>",
                        }
                        for c in &r.cells {
                            if c.strong {
                                s += &format!("<td><strong>{}</strong></td>", e(&c.text));
                            } else {
                                s += &format!("<td>{}</td>", e(&c.text));
                            }
                        }
                        s += "</tr>";
                    }
                    s += "</table>";
                }
                Block::Figure { svg, caption } => {
                    s += &format!(
                        "<figure>{svg}<figcaption>{}</figcaption></figure>",
                        e(caption)
                    )
                }
            }
        }
        s += "</body></html>\n";
        s
    }
}

fn text_table(t: &Table) -> String {
    let n = t.head.len();
    let cell = |c: &Cell| text_clean(&c.text).replace('\n', " ");
    let mut width: Vec<usize> = t.head.iter().map(|h| h.chars().count()).collect();
    for r in &t.rows {
        for (i, c) in r.cells.iter().enumerate().take(n) {
            width[i] = width[i].max(cell(c).chars().count().min(60));
        }
    }
    let line = |cells: Vec<String>| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                l += c;
            } else {
                let pad = width[i].saturating_sub(c.chars().count());
                l += c;
                l += &" ".repeat(pad + 2);
            }
        }
        l.trim_end().to_string() + "\n"
    };
    let mut s = line(t.head.clone());
    s += &line(width.iter().map(|w| "-".repeat(*w)).collect());
    for r in &t.rows {
        s += &line(r.cells.iter().map(cell).collect());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page {
        let mut p = Page::new("A <deal> | 1");
        p.line("2018-06-12 · parties: us, kp");
        p.heading("Checks");
        let mut t = Table::new(&["check", "status"]);
        t.push(vec!["abductees".into(), Cell::strong("CROSSED")]);
        t.rows[0].class = Some("crossed");
        p.push(Block::Table(t));
        p.push(Block::List(vec!["caveat \u{1b}[31mred".into()]));
        p.push(Block::Figure {
            svg: "<svg></svg>".into(),
            caption: "Residual reach".into(),
        });
        p
    }

    #[test]
    fn every_format_carries_every_block() {
        let p = page();
        let md = p.markdown();
        assert!(md.starts_with("# A &lt;deal&gt; \\| 1\n"), "{md}");
        assert!(
            md.contains("## Checks\n") && md.contains("| abductees | **CROSSED** |"),
            "{md}"
        );
        assert!(md.contains("- caveat"));
        let html = p.html();
        assert!(html.contains("<h1>A &lt;deal&gt; | 1</h1>"), "{html}");
        assert!(html.contains(
            "<tr class=\"crossed\"><td>abductees</td><td><strong>CROSSED</strong></td></tr>"
        ));
        assert!(
            html.contains("<figure><svg></svg><figcaption>Residual reach</figcaption></figure>")
        );
        assert!(html.contains(REPORT_CSP_META));
        let text = p.text();
        assert!(
            text.contains("check      status\n---------  -------\nabductees  CROSSED\n"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "no escape codes reach a terminal");
        for f in [&md, &html, &text] {
            assert!(f.contains("Residual reach") && f.contains("2018-06-12"));
        }
    }
}
