//! The parse driver: pre-scan, pest, error recovery and lowering.
//!
//! Recovery works statement by statement. The driver first asks pest for the longest run of
//! well-formed statements (rule `statements`) and lowers it; then it parses the rest as a
//! whole file (rule `file`). When that fails, the error is converted into a diagnostic, and
//! parsing starts again at the next line that looks like the start of a statement
//! (`name =`, `sampler name`, `record every`, `include "`). Every round starts further into
//! the file, and at most [`MAX_SYNTAX_ERRORS`] are reported.

use neq_diag::{Diagnostic, FileId, Span};
use pest::Parser;
use pest::iterators::Pairs;

use crate::ast::{Ast, Item};
use crate::grammar::{NeqParser, Rule};
use crate::lower::Lowerer;
use crate::scan::{self, MAX_NESTING, line_end, looks_like_statement};
use crate::syntax_error::{self, Context};

/// After this many syntax errors in one file the parser stops looking for more.
pub const MAX_SYNTAX_ERRORS: usize = 32;

/// Parses one file into a syntax tree and the problems found in it.
///
/// Never panics. Statements with syntax errors are left out of the tree, and the rest of
/// the file is still parsed, so one run reports most mistakes. A file that is empty or holds
/// only comments gives an empty tree and no diagnostics.
pub fn parse(source: &str, file: FileId) -> (Ast, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut items = Vec::new();
    let scan = scan::scan(source);
    if let Some(at) = scan.too_deep {
        let bracket = Span::new(file, at, at + 1);
        diagnostics.push(
            Diagnostic::error(bracket, "brackets are nested too deeply")
                .with_label_message(format!("more than {MAX_NESTING} levels of brackets here"))
                .with_hint("split the expression into named constants"),
        );
        return (Ast { file, items }, diagnostics);
    }

    let mut start = 0;
    let mut errors = 0;
    loop {
        let prefix = NeqParser::parse(Rule::statements, &scan.text[start..]);
        let parsed = match prefix {
            Ok(pairs) => lower(pairs, file, start, &mut items, &mut diagnostics),
            Err(_) => 0,
        };
        let rest = start + parsed;
        let error = match NeqParser::parse(Rule::file, &scan.text[rest..]) {
            Ok(pairs) => {
                lower(pairs, file, rest, &mut items, &mut diagnostics);
                break;
            }
            Err(error) => error,
        };
        let context = Context { source, scan: &scan, file, base: rest };
        let (diagnostic, at) = syntax_error::convert(&error, &context);
        diagnostics.push(diagnostic);
        errors += 1;
        match next_statement(source, at) {
            Some(next) if errors < MAX_SYNTAX_ERRORS => start = next,
            _ => break,
        }
    }
    (Ast { file, items }, diagnostics)
}

/// Lowers the statements of a `file` or `statements` pair; returns the length it covers.
fn lower(
    mut pairs: Pairs<'_, Rule>,
    file: FileId,
    base: usize,
    items: &mut Vec<Item>,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    let Some(top) = pairs.next() else { return 0 };
    let end = top.as_span().end();
    Lowerer { file, base, diagnostics }.items(top.into_inner(), items);
    end
}

/// The start of the first line after the one holding `at` that looks like a statement.
fn next_statement(source: &str, at: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut line = line_end(bytes, at) + 1;
    while line < bytes.len() {
        let end = line_end(bytes, line);
        if looks_like_statement(&source[line..end]) {
            return Some(line);
        }
        line = end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{BinaryOp, Category, Expr, ExprKind, ItemKind};
    use crate::lower::MAX_EXPR_DEPTH;

    fn ok(source: &str) -> Ast {
        let (ast, diagnostics) = parse(source, FileId(1));
        assert!(diagnostics.is_empty(), "{source:?}: {diagnostics:#?}");
        ast
    }

    fn errors(source: &str) -> Vec<Diagnostic> {
        let (_, diagnostics) = parse(source, FileId(1));
        assert!(!diagnostics.is_empty(), "{source:?} parsed without errors");
        diagnostics
    }

    /// The value of the only statement, which must be `x = ...`.
    fn value(source: &str) -> Expr {
        let ast = ok(source);
        assert_eq!(ast.items.len(), 1, "{source}");
        match ast.items.into_iter().next().map(|item| item.kind) {
            Some(ItemKind::Const { value, .. }) => value,
            other => panic!("not a constant: {other:?}"),
        }
    }

    /// An expression with its structure in parentheses and spans dropped, for comparisons.
    fn shape(expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::Number(v) => format!("{v}"),
            ExprKind::Str(s) => format!("{s:?}"),
            ExprKind::Name(n) => n.clone(),
            ExprKind::Neg(e) => format!("(-{})", shape(e)),
            ExprKind::Binary { op, lhs, rhs } => {
                format!("({} {} {})", shape(lhs), op.symbol(), shape(rhs))
            }
            ExprKind::Range { lo, hi } => format!("({}..{})", shape(lo), shape(hi)),
            ExprKind::Call { callee, args } => format!("{}{}", callee.name, shape_args(args)),
            ExprKind::List(items) => format!("list{}", shape_args(items)),
        }
    }

    fn shape_args(args: &[crate::ast::Arg]) -> String {
        let args: Vec<String> = args
            .iter()
            .map(|a| match &a.name {
                Some(name) => format!("{}: {}", name.name, shape(&a.value)),
                None => shape(&a.value),
            })
            .collect();
        format!("[{}]", args.join(", "))
    }

    fn parses_as(source: &str, expected: &str) {
        assert_eq!(shape(&value(&format!("x = {source}"))), expected, "{source}");
    }

    #[test]
    fn precedence_and_associativity() {
        parses_as("1 + 2 * 3", "(1 + (2 * 3))");
        parses_as("1 - 2 - 3", "((1 - 2) - 3)");
        parses_as("8 / 4 / 2", "((8 / 4) / 2)");
        parses_as("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))");
        parses_as("-x^2", "(-(x ^ 2))");
        parses_as("2^-1", "(2 ^ (-1))");
        parses_as("2^-x^2 * 3", "((2 ^ (-(x ^ 2))) * 3)");
        parses_as("-a * b", "((-a) * b)");
        parses_as("a * -b + c", "((a * (-b)) + c)");
        parses_as("(a + b) * c", "((a + b) * c)");
        parses_as("--a", "(-(-a))");
    }

    #[test]
    fn ranges_bind_loosest_and_keep_their_dots() {
        parses_as("-1..1", "((-1)..1)");
        parses_as("-1.5..-0.5", "((-1.5)..(-0.5))");
        parses_as("0..2 * pi", "(0..(2 * pi))");
        parses_as("1..2", "(1..2)");
        parses_as("(0..1)..2", "((0..1)..2)");
        assert!(errors("x = 1..2..3")[0].message.contains("unexpected `..`"));
    }

    #[test]
    fn numbers() {
        for (text, value) in [
            ("1", 1.0),
            ("0.5", 0.5),
            ("1e-3", 1e-3),
            ("2.5E+4", 2.5e4),
            ("10_000", 1e4),
            ("1_0.2_5e1_0", 10.25e10),
            ("1e-999", 0.0),
        ] {
            assert_eq!(value_number(text), value, "{text}");
        }
        let out_of_range = errors("x = 1e999\ny = 2\n");
        assert_eq!(out_of_range.len(), 1);
        assert_eq!(out_of_range[0].message, "number out of range");
        assert_eq!(out_of_range[0].primary_span(), Some(Span::new(FileId(1), 4, 9)));
        let huge = format!("x = 1{}", "0".repeat(400));
        assert_eq!(errors(&huge)[0].message, "number out of range");
        // `inf` and `nan` are names for the checker to judge.
        parses_as("inf + nan", "(inf + nan)");
    }

    fn value_number(text: &str) -> f64 {
        match value(&format!("x = {text}")).kind {
            ExprKind::Number(v) => v,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn strings_and_escapes() {
        parses_as(r#""a\"b\\c\nd\te\r""#, r#""a\"b\\c\nd\te\r""#);
        parses_as(r#""κT # not a comment""#, r#""κT # not a comment""#);
    }

    #[test]
    fn calls_lists_and_arguments() {
        parses_as("prinz()", "prinz[]");
        parses_as("f(a, b, dt: 1e-3,)", "f[a, b, dt: 0.001]");
        parses_as("[x: -1..1, y: 0..1,]", "list[x: ((-1)..1), y: (0..1)]");
        parses_as("generate(model: m, every: 1)", "generate[model: m, every: 1]");
        parses_as("f (x)", "f[x]");
        parses_as("[]", "list[]");
    }

    #[test]
    fn every_statement_kind_with_spans() {
        let source =
            "seed = 7\nsampler sim = langevin(p)\nrecord every 0.02 until 20\ninclude \"a.neq\"\n";
        let ast = ok(source);
        let kinds: Vec<_> =
            ast.items.iter().map(|item| &source[item.span.start..item.span.end]).collect();
        assert_eq!(
            kinds,
            [
                "seed = 7",
                "sampler sim = langevin(p)",
                "record every 0.02 until 20",
                "include \"a.neq\""
            ]
        );
        match &ast.items[1].kind {
            ItemKind::Decl { category, name, value } => {
                assert_eq!(*category, Category::Sampler);
                assert_eq!(&source[name.span.start..name.span.end], "sim");
                assert_eq!(&source[value.span.start..value.span.end], "langevin(p)");
            }
            other => panic!("{other:?}"),
        }
        match &ast.items[3].kind {
            ItemKind::Include { path, path_span } => {
                assert_eq!(path, "a.neq");
                assert_eq!(&source[path_span.start..path_span.end], "\"a.neq\"");
            }
            other => panic!("{other:?}"),
        }
        assert!(ast.items.iter().all(|item| item.span.file == FileId(1)));
    }

    #[test]
    fn spans_of_operators_parentheses_and_arguments() {
        let source = "x = -(a + b)^2 * f(k: 1)";
        let expr = value(source);
        let text = |span: Span| &source[span.start..span.end];
        assert_eq!(text(expr.span), "-(a + b)^2 * f(k: 1)");
        let ExprKind::Binary { op: BinaryOp::Mul, lhs, rhs } = &expr.kind else { panic!() };
        let ExprKind::Neg(power) = &lhs.kind else { panic!() };
        let ExprKind::Binary { lhs: base, .. } = &power.kind else { panic!() };
        assert_eq!(text(base.span), "(a + b)");
        let ExprKind::Call { callee, args } = &rhs.kind else { panic!() };
        assert_eq!(text(callee.span), "f");
        assert_eq!(text(args[0].span), "k: 1");
        assert_eq!(text(args[0].name.as_ref().unwrap().span), "k");
    }

    #[test]
    fn layout_newlines_semicolons_and_comments() {
        let source = "\u{feff}# header\n\n  a = 1 ; b = 2;\n\
                      s = langevin(p,   # the potential\n\
                      \x20   dt: 1e-3,\n\
                      )\n\
                      c = a\n    + b   # continued\n    # still\n    * 2\n\
                      d =\n  3\r\ne = 1 +\n 2\n";
        let ast = ok(source);
        let names: Vec<String> = ast.items.iter().map(|i| i.to_string()).collect();
        assert_eq!(
            names,
            ["a = 1", "b = 2", "s = langevin(p, dt: 0.001)", "c = a + b * 2", "d = 3", "e = 1 + 2"]
        );
    }

    #[test]
    fn empty_and_comment_only_files_have_no_items() {
        for source in ["", "\n\n", "# just a comment", "# a\n   # b\n;;\n", "\u{feff}"] {
            let ast = ok(source);
            assert!(ast.items.is_empty(), "{source:?}");
        }
    }

    #[test]
    fn statements_need_a_newline_or_semicolon_between_them() {
        let diagnostics = errors("a = 1 b = 2\n");
        assert_eq!(diagnostics[0].message, "expected the end of the statement, found `b`");
        assert!(diagnostics[0].hints[0].contains("separate statements with `;`"));
    }

    #[test]
    fn keywords_are_not_names() {
        let messages: Vec<String> = ["sampler sampler = f()", "model = 3", "x = until + 1"]
            .iter()
            .map(|s| errors(s)[0].message.clone())
            .collect();
        assert_eq!(messages[0], "`sampler` is a keyword and cannot be used as a name");
        assert_eq!(messages[1], "`model` is a keyword and cannot be used as a name");
        assert_eq!(messages[2], "expected an expression, found the keyword `until`");
        // Prefixes of keywords are ordinary names.
        ok("models = 1\nrecorder = models\nsamplers = f(metric: recorder)");
    }

    #[test]
    fn recovery_reports_an_error_per_broken_statement_and_keeps_the_rest() {
        let source = "a = 1\nb = (2\n  + )\nc = 3\nsampler s = f(x y)\nd = $\ne = 5\n";
        let (ast, diagnostics) = parse(source, FileId(0));
        let starts: Vec<usize> =
            diagnostics.iter().map(|d| d.primary_span().unwrap().start).collect();
        assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
        assert_eq!(
            starts,
            [
                source.find("+ )").unwrap() + 2,
                source.find("y)").unwrap(),
                source.find('$').unwrap()
            ]
        );
        let names: Vec<String> = ast.items.iter().map(|i| i.to_string()).collect();
        assert_eq!(names, ["a = 1", "c = 3", "e = 5"]);
    }

    #[test]
    fn error_count_is_capped() {
        let source = "x = $\n".repeat(MAX_SYNTAX_ERRORS * 3);
        assert_eq!(errors(&source).len(), MAX_SYNTAX_ERRORS);
    }

    #[test]
    fn unclosed_brackets_point_at_the_bracket() {
        let diagnostics = errors("x = f(a, [1, 2\n\ny = 2\n");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].message, "unclosed `[`");
        assert_eq!(diagnostics[0].primary_span(), Some(Span::new(FileId(1), 9, 10)));
        assert_eq!(errors("x = (1 + 2")[0].message, "unclosed `(`");
    }

    #[test]
    fn control_characters_and_nul_are_syntax_errors() {
        for (source, message) in [
            ("x = 1 \0", "unexpected control character U+0000"),
            ("\u{7}", "unexpected control character U+0007"),
            ("x = \u{1b}[31m", "unexpected control character U+001B"),
            ("x = κ", "unexpected character `κ`"),
        ] {
            assert_eq!(errors(source)[0].message, message, "{source:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_before_pest_runs() {
        let deep = format!("x = {}1", "(".repeat(100_000));
        let diagnostics = errors(&deep);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].message, "brackets are nested too deeply");
        let at = 4 + MAX_NESTING;
        assert_eq!(diagnostics[0].primary_span(), Some(Span::new(FileId(1), at, at + 1)));
    }

    #[test]
    fn the_deepest_allowed_nesting_parses_on_a_small_stack() {
        let source = format!(
            "x = {}1{}\ny = {}1{}\n",
            "f(".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING),
            "(-".repeat(MAX_NESTING),
            ")".repeat(MAX_NESTING)
        );
        // Test threads get 2 MiB of stack; the main thread of a program has more.
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let (ast, diagnostics) = parse(&source, FileId(0));
                (ast.items.len(), diagnostics.len())
            })
            .unwrap();
        assert_eq!(handle.join().unwrap(), (2, 0));
    }

    #[test]
    fn long_chains_are_cut_at_the_depth_limit_without_recursion() {
        let terms = MAX_EXPR_DEPTH + 1;
        let source = format!("x = {}\ny = 2\n", vec!["1"; terms + 1].join(" + "));
        let (ast, diagnostics) = parse(&source, FileId(0));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].message, "expression is too deeply nested");
        assert_eq!(ast.items.len(), 1, "the broken statement is left out");
        let fits = format!("x = {}", vec!["1"; MAX_EXPR_DEPTH].join(" ^ "));
        ok(&fits);
    }

    #[test]
    fn a_megabyte_line_does_not_hang_or_overflow() {
        let sum = format!("x = {}", "1 + ".repeat(250_000) + "1");
        let diagnostics = errors(&sum);
        assert_eq!(diagnostics[0].message, "expression is too deeply nested");
        let list = format!("x = [{}]", "1, ".repeat(250_000));
        let ast = ok(&list);
        assert_eq!(ast.items.len(), 1);
        let garbage = "$%&".repeat(350_000);
        assert_eq!(errors(&garbage).len(), 1);
        let long_name = format!("{} = 1", "a".repeat(1 << 20));
        ok(&long_name);
    }
}
