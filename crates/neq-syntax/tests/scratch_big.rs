use neq_diag::FileId;
use std::time::Instant;
#[test]
fn big() {
    let mb = 10 << 20;
    let cases: Vec<(&str, String)> = vec![
        ("sum", format!("x = {}1", "1 + ".repeat(mb / 4))),
        ("pow", format!("x = {}1", "1^".repeat(mb / 2))),
        ("neg", format!("x = {}1", "-".repeat(mb))),
        ("list", format!("x = [{}]", "1, ".repeat(mb / 3))),
        ("garbage", "$%&".repeat(mb / 3)),
        ("parens", "(".repeat(mb)),
        ("name", format!("{} = 1", "a".repeat(mb))),
        ("digits", format!("x = {}", "1".repeat(mb))),
        ("lines", "x = $\n".repeat(mb / 6)),
        ("ok lines", "x = 1 + 2\n".repeat(mb / 10)),
        ("comments", "# c\n".repeat(mb / 4)),
        ("string", format!("x = \"{}", "a".repeat(mb))),
        ("open", format!("x = f({}", "a\n".repeat(mb / 2))),
        ("dots", ".".repeat(mb)),
        ("ops", format!("x = 1{}", "\n+ 1".repeat(mb / 4))),
    ];
    for (name, source) in cases {
        let start = Instant::now();
        let (ast, d) = neq_syntax::parse(&source, FileId(0));
        println!("{name}: {:?} items {} diags {} first {:?}", start.elapsed(), ast.items.len(), d.len(), d.first().map(|d| d.message.clone()));
    }
}
