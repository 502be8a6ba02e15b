//! RubyGems against `Gem::Version`.

use super::*;

fn gen_gem(rng: &mut Lcg) -> String {
    let mut v = numbers(rng, 1, 4, &["0", "1", "2", "10", "01", "00"], ".");
    if rng.chance(40) {
        v.push_str(rng.pick(&[".", "", "-", ".", "-"]));
        v.push_str(&numbers(
            rng,
            1,
            3,
            &[
                "a", "b", "pre", "rc", "beta", "0", "1", "2", "A", "rc1", "a-b",
            ],
            ".",
        ));
    }
    if rng.chance(5) {
        v = format!(" {v}");
    }
    if rng.chance(4) {
        v.push_str(rng.pick(&[".", "-", "..", "_", "+1"]));
    }
    v
}

const TRICKY: &[&str] = &[
    "1.0",
    "1.0.a",
    "1.8.2",
    "0.0.0",
    "1.8.2.a",
    "1.8.2.b",
    "1.8.2.a10",
    "1.8.2.a9",
    "",
    "0",
    "0.beta.1",
    "0.0.beta",
    "0.0.beta.1",
    "5.a",
    "5.0.0.rc2",
    "5.x",
    "1.9.3",
    "1.9.3.0",
    "1.0.0-rc1",
    "1.0.0.pre.rc1",
    "1.0.0a",
    "1.0.0.A",
    "junk",
    "1..2",
    "1.0-",
    "a1",
    "  1.0  ",
    "1.0.0-1",
    "1-1",
];

/// Prints, per JSON pair, `E` when `Gem::Version.new` rejects a side, else
/// `<=>`.
const SCRIPT: &str = r#"
require "json"
require "rubygems"
def v(s)
  Gem::Version.new(s)
rescue ArgumentError
  nil
end
out = []
File.foreach(ARGV[0]) do |line|
  a, b = JSON.parse(line)
  x, y = v(a), v(b)
  out << (x.nil? || y.nil? ? "E" : (x <=> y).to_s)
end
puts out
"#;

#[test]
fn rubygems_matches_gem_version() {
    if !runs("ruby", &["--version"]) {
        missing("ruby (Debian package `ruby`)");
        return;
    }
    let pairs = all_pairs(&corpus(33, 130, gen_gem, TRICKY));
    differential(
        Scheme::RubyGems,
        &pairs,
        jsonl,
        Expect::SameValidity(8_000),
        |input| {
            let mut cmd = Command::new("ruby");
            cmd.arg("-e").arg(SCRIPT).arg(input);
            run(cmd, "ruby Gem::Version")
        },
    );
}
