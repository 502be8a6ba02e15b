//! Maven against maven-artifact's `ComparableVersion`.

use super::*;

fn gen_maven(rng: &mut Lcg) -> String {
    let pool = [
        "0",
        "1",
        "2",
        "10",
        "01",
        "alpha",
        "a",
        "beta",
        "b",
        "m",
        "milestone",
        "rc",
        "cr",
        "snapshot",
        "SNAPSHOT",
        "ga",
        "final",
        "release",
        "sp",
        "abc",
        "foo",
        "",
        "a1",
        "1a",
        "RC1",
        "Final",
        "0.0",
        "x",
    ];
    let count = 1 + rng.below(5);
    let mut v = String::new();
    for i in 0..count {
        if i > 0 {
            v.push_str(rng.pick(&[".", "-", "", "."]));
        }
        v.push_str(rng.pick(&pool));
    }
    v
}

const TRICKY: &[&str] = &[
    "1",
    "1.0",
    "1.0.0",
    "1-0",
    "1.0-0",
    "1-alpha2snapshot",
    "1-alpha2",
    "1-alpha-123",
    "1-beta-2",
    "1-beta123",
    "1-m2",
    "1-m11",
    "1-rc",
    "1-cr2",
    "1-rc123",
    "1-SNAPSHOT",
    "1-sp",
    "1-sp2",
    "1-sp123",
    "1-abc",
    "1-def",
    "1-pom-1",
    "1-1-snapshot",
    "1-1",
    "1-2",
    "1-123",
    "2.0",
    "2.0.a",
    "2-1",
    "2.0.2",
    "2.1-a",
    "2.1b",
    "2.1-c",
    "2.1-1",
    "2.1.0.1",
    "11.a2",
    "11.a11",
    "11.b2",
    "11",
    "11.a",
    "11b",
    "11c",
    "11m",
    "1.0-RELEASE",
    "1.0.Final",
    "1-ga-1",
    "1-0.1",
    "1.0.0-0.1",
    "1--1",
    "1..1",
    "-1",
    ".1",
    "1-",
    "1.",
    "",
    "1.0-alpha.1",
    "1.0-alpha-1",
    "1.0alpha1",
    "1.0a1",
    "1.0-sp-1",
    "1.0.0.0.0.1",
    "2.0.0.RELEASE",
    "1234567890123",
    "12345678901234567890",
    "1.0-SNAPSHOT",
    "1.0-20240101.123456-1",
];

/// Prints, per tab-separated pair, the sign of `ComparableVersion.compareTo`
/// (it accepts every string).
const PROGRAM: &str = r#"
import java.nio.file.*;
import org.apache.maven.artifact.versioning.ComparableVersion;
public class MavenCmp {
  public static void main(String[] args) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(args[0]))) {
      int tab = line.indexOf('\t');
      int r = new ComparableVersion(line.substring(0, tab)).compareTo(new ComparableVersion(line.substring(tab + 1)));
      out.append(Integer.signum(r)).append('\n');
    }
    System.out.print(out);
  }
}
"#;

fn maven_jar() -> Option<PathBuf> {
    let dir = std::fs::read_dir("/usr/share/maven/lib").ok()?;
    dir.filter_map(Result::ok).map(|e| e.path()).find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("maven-artifact-"))
    })
}

#[test]
fn maven_matches_comparable_version() {
    let Some(jar) = maven_jar() else {
        missing("maven-artifact jar (Debian package `maven`)");
        return;
    };
    if !runs("java", &["-version"]) {
        missing("java (Debian package `default-jdk-headless`)");
        return;
    }
    let pairs = all_pairs(&corpus(38, 120, gen_maven, TRICKY));
    let dir = TempDir::new("java");
    let source = dir.0.join("MavenCmp.java");
    std::fs::write(&source, PROGRAM).unwrap_or_else(|e| panic!("{e}"));
    differential(
        Scheme::Maven,
        &pairs,
        tsv,
        Expect::SameValidity(10_000),
        |input| {
            let mut cmd = Command::new("java");
            cmd.arg("-cp").arg(&jar).arg(&source).arg(input);
            run(cmd, "java ComparableVersion")
        },
    );
}
