//! Input that is no pipeline at all. Whatever it is, `neq` must end with a message and exit
//! code 1 or 2: never a panic (exit 101), an abort or a stack overflow.

use crate::common::{dir_with, neq_in};

/// Bytes from a fixed xorshift sequence: the same "random" garbage on every run.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 56) as u8
        })
        .collect()
}

/// Checks the single file `name` holding `contents`, from inside its directory.
fn check_file(name: &str, contents: &[u8]) -> crate::common::Outcome {
    let dir = dir_with(&[(name, contents)]);
    neq_in(dir.path(), &["check", name])
}

#[test]
fn binary_garbage_is_refused_as_not_text() {
    for seed in [1, 2, 3, 0x5eed] {
        let mut bytes = noise(seed, 4096);
        bytes[7] = 0; // a NUL, and a byte that can never start a UTF-8 character
        bytes[100] = 0xFF;
        let outcome = check_file("garbage.neq", &bytes);
        outcome.assert_code(1);
        assert!(outcome.stderr.contains("file is not UTF-8 text"), "{}", outcome.stderr);
        assert!(!outcome.stderr.contains('\0'), "raw NUL bytes printed");
    }
}

#[test]
fn control_characters_never_reach_the_terminal() {
    // Valid UTF-8 made of ASCII noise: escapes, NULs, bells and carriage returns included.
    let mut bytes: Vec<u8> = noise(42, 4096).into_iter().map(|b| b & 0x7F).collect();
    bytes.splice(0..0, b"\x1b[2J\x1b]0;title\x07\r".iter().copied());
    let outcome = check_file("noise.neq", &bytes);
    outcome.assert_code(1);
    for c in ['\0', '\u{7}', '\u{1b}', '\u{7f}'] {
        assert!(!outcome.stderr.contains(c), "{c:?} printed:\n{}", outcome.stderr);
    }
    let stray_return = outcome
        .stderr
        .match_indices('\r')
        .any(|(i, _)| outcome.stderr.as_bytes().get(i + 1) != Some(&b'\n'));
    assert!(!stray_return, "a carriage return would overwrite the line");
}

#[test]
fn an_empty_file_has_nothing_to_run() {
    let outcome = check_file("empty.neq", b"");
    outcome.assert_code(1);
    insta::assert_snapshot!(outcome.stderr);
}

#[test]
fn a_file_of_comments_has_nothing_to_run() {
    let outcome = check_file("comments.neq", b"# one comment\n\n   # and another\n");
    outcome.assert_code(1);
    insta::assert_snapshot!(outcome.stderr);
}

#[test]
fn a_10_mb_line_is_refused_quickly_and_shown_cut() {
    let line = format!("x = {}1\n", "1 + ".repeat(2_500_000));
    assert!(line.len() >= 10_000_000);
    let started = std::time::Instant::now();
    let outcome = check_file("long.neq", line.as_bytes());
    outcome.assert_code(1);
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
    assert!(outcome.stderr.contains("expression is too deeply nested"), "{}", outcome.stderr);
    // The diagnostic shows the text around the caret, not ten megabytes of it.
    assert!(outcome.stderr.len() < 2000, "{} bytes on stderr", outcome.stderr.len());
    insta::assert_snapshot!(outcome.stderr);
}

#[test]
fn a_10_mb_list_is_checked_without_trouble() {
    let line = format!("x = [{}1]\n", "1, ".repeat(3_400_000));
    let outcome = check_file("list.neq", line.as_bytes());
    outcome.assert_refused();
}

#[test]
fn deeply_nested_parentheses_are_refused() {
    let depth = 100_000;
    let text = format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth));
    let outcome = check_file("deep.neq", text.as_bytes());
    outcome.assert_code(1);
    insta::assert_snapshot!(outcome.stderr);
}

#[test]
fn deeply_nested_calls_and_unclosed_brackets_are_refused() {
    for text in [
        format!("x = {}1{}\n", "exp(".repeat(50_000), ")".repeat(50_000)),
        format!("x = {}1\n", "[".repeat(100_000)),
        format!("x = {}\n", ")".repeat(100_000)),
        format!("x = {}1\n", "-".repeat(1_000_000)),
        format!("x = 1{}\n", "^2".repeat(500_000)),
    ] {
        check_file("deep.neq", text.as_bytes()).assert_refused();
    }
}

#[test]
fn a_chain_of_100_000_declarations_checks() {
    let mut text = String::from("a0 = 0\n");
    for i in 1..100_000 {
        text.push_str(&format!("a{i} = a{} + 1e-5\n", i - 1));
    }
    text.push_str(
        "potential well = double_well(barrier: a99999)\n\
         sampler sim = langevin(well, particles: 10, dt: 1e-3, init: point(0))\n\
         metric stats = moments(sim)\nrecord every 0.1 until 1\n",
    );
    check_file("chain.neq", text.as_bytes()).assert_code(0);
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let outcome = neq_in(dir.path(), &["check", "nowhere.neq"]);
    outcome.assert_code(1);
    insta::assert_snapshot!(outcome.stderr);
    for command in ["run", "plan"] {
        let outcome = neq_in(dir.path(), &[command, "nowhere.neq"]);
        outcome.assert_code(1);
        assert!(outcome.stderr.contains("cannot read `nowhere.neq`: no such file"));
    }
}

#[test]
fn a_directory_is_not_a_pipeline() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir(dir.path().join("folder.neq")).expect("a directory");
    let outcome = neq_in(dir.path(), &["check", "folder.neq"]);
    outcome.assert_code(1);
    insta::assert_snapshot!(outcome.stderr);
    let outcome = neq_in(dir.path(), &["run", "folder.neq", "--out", "out"]);
    outcome.assert_code(1);
    assert!(!dir.path().join("out").exists(), "nothing is written for an invalid pipeline");
}

#[test]
fn an_include_of_a_directory_or_of_binary_data_is_refused() {
    let dir = dir_with(&[
        ("main.neq", b"include \"sub\"\ninclude \"data.bin\"\n"),
        ("data.bin", b"\x00\x01\x02\xff\xfe"),
    ]);
    std::fs::create_dir(dir.path().join("sub")).expect("a directory");
    let outcome = neq_in(dir.path(), &["check", "main.neq"]);
    outcome.assert_code(1);
    assert!(outcome.stderr.contains("cannot read `sub`: it is a directory"), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("data.bin"), "{}", outcome.stderr);
}
