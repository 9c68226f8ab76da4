//! ARCHITECTURE.md's rules, checked on the source: no module imports in a
//! circle within a crate, the binary crate holds only its edge files and
//! depends on no physics or data crate directly, and no crate depends on a
//! crate above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn crates_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir)
        .expect("readable source folder")
        .flatten()
    {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Module path of a source file ("reconstruct::fit"); None for the crate root.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|l| l == "mod") {
        parts.pop();
    }
    let name = parts.join("::");
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// Every `crate::a` / `crate::a::b` / `super::b` path named in a text.
fn named_paths(text: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + prefix.len()..];
        let path: Vec<String> = after
            .split("::")
            .take(2)
            .map(|seg| {
                seg.chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|s| !s.is_empty())
            .collect();
        out.push(path);
        rest = after;
    }
    out
}

fn module_graph(krate: &str) -> BTreeMap<String, BTreeSet<String>> {
    let src = crates_dir().join(krate).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mods: BTreeMap<String, String> = files
        .iter()
        .filter_map(|f| {
            Some((
                module_of(&src, f)?,
                std::fs::read_to_string(f).expect("readable source"),
            ))
        })
        .collect();
    let mut edges = BTreeMap::new();
    for (m, text) in &mods {
        let mut deps = BTreeSet::new();
        for p in named_paths(text, "crate::") {
            let long = p.join("::");
            let short = p.first().cloned().unwrap_or_default();
            for c in [long, short] {
                if mods.contains_key(&c) && &c != m && !m.starts_with(&format!("{c}::")) {
                    deps.insert(c);
                    break;
                }
            }
        }
        if let Some((parent, _)) = m.rsplit_once("::") {
            for p in named_paths(text, "super::") {
                if let Some(first) = p.first() {
                    let c = format!("{parent}::{first}");
                    if mods.contains_key(&c) && &c != m {
                        deps.insert(c);
                    }
                }
            }
        }
        edges.insert(m.clone(), deps);
    }
    edges
}

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for d in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

const CRATES: [&str; 9] = [
    "flight", "catalog", "reach", "deal", "clauses", "report", "server", "allylens", "benches",
];

#[test]
fn no_module_imports_in_a_circle() {
    for k in CRATES {
        let g = module_graph(k);
        assert!(find_cycle(&g).is_none(), "{k}: {:?}", find_cycle(&g));
    }
    // the detector finds a circle when there is one
    let mut g = BTreeMap::new();
    g.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    g.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(
        find_cycle(&g),
        Some(vec!["a".into(), "b".into(), "a".into()])
    );
}

/// The workspace crates a crate's manifest depends on (normal dependencies).
fn depends_on(krate: &str) -> BTreeSet<String> {
    let toml =
        std::fs::read_to_string(crates_dir().join(krate).join("Cargo.toml")).expect("manifest");
    let deps = toml
        .split("[dependencies]")
        .nth(1)
        .map(|s| s.split("\n[").next().unwrap_or(""))
        .unwrap_or("");
    CRATES
        .iter()
        .filter(|c| {
            deps.lines().any(|l| {
                l.trim_start().starts_with(&format!("{c}."))
                    || l.trim_start().starts_with(&format!("{c} ="))
            })
        })
        .map(|c| c.to_string())
        .collect()
}

#[test]
fn layers_import_only_downwards() {
    // each crate's level: a crate may depend only on crates of a lower level
    let level = |k: &str| match k {
        "flight" | "reach" | "clauses" => 0,
        "catalog" => 1,
        "deal" => 2,
        "report" => 3,
        "server" => 4,
        _ => 5,
    };
    for k in CRATES {
        for d in depends_on(k) {
            assert!(
                level(&d) < level(k),
                "{k} depends on {d}, which is not below it"
            );
        }
    }
    let bin = depends_on("allylens");
    for physics in ["flight", "reach", "catalog"] {
        assert!(
            !bin.contains(physics),
            "the binary crate depends on {physics} directly"
        );
    }
}

#[test]
fn the_binary_crate_holds_only_its_edge() {
    let src = crates_dir().join("allylens").join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let names: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.strip_prefix(&src).ok().map(|p| p.display().to_string()))
        .collect();
    let edge: BTreeSet<String> = [
        "main.rs",
        "lib.rs",
        "cli.rs",
        "args.rs",
        "run.rs",
        "output.rs",
        "fuzzing.rs",
    ]
    .map(String::from)
    .into();
    assert_eq!(
        names, edge,
        "a new file in the binary crate: does it belong in report?"
    );
}
