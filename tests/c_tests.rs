//! The C test programs of `c-tests/` under `cargo test`: each program listed in
//! `c-tests/programs.txt` is compiled with the `cc` crate's compiler (gcc or clang; `CC` and
//! `CFLAGS` are honoured) with `-std=c99 -Wall -Wextra -Werror`, linked against libndimage,
//! and run; a test fails with the program's output when it fails. Each source is also
//! checked to compile as C++, and the header alone as C++98/11/17 and strict C99 (as
//! `c-tests/run.sh` does; that script also runs the programs under valgrind).
//!
//! Which library: cargo builds integration tests against the crate's rlib and does not
//! promise that the cdylib or staticlib of the crate exist for them (nor where), so this
//! test builds the library itself: `cargo build --lib` (dev profile, so debug assertions and
//! overflow checks are on) into its own target directory under `CARGO_TARGET_TMPDIR`. A
//! separate target directory cannot wait on the lock of the `cargo test` running us, whatever
//! profile or target that one uses; cargo's own up-to-date check keeps repeated runs quick.
//! `NDI_C_TESTS_LIBDIR=<dir>` links against an already built `libndimage.so`/`.a` instead
//! (e.g. `target/release`).
#![cfg(target_os = "linux")]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The target triple the crate is built for, from build.rs (the `cc` crate needs it).
const TARGET: &str = env!("NDI_BUILD_TARGET");
const HOST: &str = env!("NDI_BUILD_HOST");
/// What `rustc --print native-static-libs` reports for the staticlib on Linux (glibc).
const STATIC_LIBS: &[&str] = &[
    "-lgcc_s",
    "-lutil",
    "-lrt",
    "-lpthread",
    "-lm",
    "-ldl",
    "-lc",
];
/// A program that runs longer than this is killed and fails (they take well under a second).
const TIMEOUT: Duration = Duration::from_secs(300);

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("c-tests")
}

/// One entry of c-tests/programs.txt.
struct Program {
    name: String,
    also_static: bool,
}

fn programs() -> Vec<Program> {
    let list = Path::new(ROOT).join("c-tests/programs.txt");
    let text = fs::read_to_string(&list).unwrap_or_else(|e| panic!("{}: {e}", list.display()));
    text.lines()
        .map(|line| line.split('#').next().unwrap().trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next().unwrap().to_string();
            let also_static = match words.next() {
                None => false,
                Some("static") => true,
                Some(other) => panic!("c-tests/programs.txt: unknown word {other:?} in {line:?}"),
            };
            Program { name, also_static }
        })
        .collect()
}

/// The directory holding libndimage.so (with its soname link) and libndimage.a, built once
/// per test process.
fn library_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = match std::env::var_os("NDI_C_TESTS_LIBDIR") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let target_dir = work_dir().join("lib-target");
                let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
                // Output goes to the terminal (it is not captured by the test harness): a
                // first build takes a while and shows its progress.
                let status = Command::new(cargo)
                    .args(["build", "--lib", "--manifest-path"])
                    .arg(Path::new(ROOT).join("Cargo.toml"))
                    .arg("--target-dir")
                    .arg(&target_dir)
                    // Explicit, so that the output directory is known whatever a cargo
                    // config's build.target says.
                    .args(["--target", TARGET])
                    .stdin(Stdio::null())
                    .status()
                    .expect("running cargo build --lib");
                assert!(
                    status.success(),
                    "cargo build --lib for the C tests failed: {status}"
                );
                target_dir.join(TARGET).join("debug")
            }
        };
        for file in ["libndimage.so", "libndimage.a"] {
            assert!(
                dir.join(file).is_file(),
                "{} not found",
                dir.join(file).display()
            );
        }
        // Programs linked against libndimage.so ask the loader for its soname.
        let soname = dir.join(env!("NDI_SONAME"));
        if fs::read_link(&soname).ok() != Some(PathBuf::from("libndimage.so")) {
            let _ = fs::remove_file(&soname);
            std::os::unix::fs::symlink("libndimage.so", &soname)
                .unwrap_or_else(|e| panic!("linking {}: {e}", soname.display()));
        }
        dir
    })
}

/// The compiler with the flags of c-tests/run.sh: C99 (or C++ with `cpp`), every warning an
/// error, include/ on the include path.
fn compiler(cpp: bool) -> Command {
    let mut build = cc::Build::new();
    build
        .target(TARGET)
        .host(HOST)
        .cargo_metadata(false)
        .cargo_warnings(false)
        .cpp(cpp)
        .opt_level(1)
        .debug(true)
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .include(Path::new(ROOT).join("include"));
    if !cpp {
        build.std("c99");
    }
    build
        .try_get_compiler()
        .expect("finding a C compiler")
        .to_command()
}

/// Runs a command to completion; Err with its output when it fails.
fn run_tool(mut command: Command, what: &str) -> Result<(), String> {
    let shown = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    match command.stdin(Stdio::null()).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(format!(
            "{what} failed ({}):\n  {shown}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )),
        Err(e) => Err(format!("{what}: cannot run {shown}: {e}")),
    }
}

/// Whether an ELF file records a NEEDED libndimage entry (readelf -d).
fn needs_libndimage(exe: &Path) -> Result<bool, String> {
    let out = Command::new("readelf")
        .arg("-d")
        .arg(exe)
        .output()
        .map_err(|e| format!("readelf -d {}: {e}", exe.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(text
        .lines()
        .any(|l| l.contains("(NEEDED)") && l.contains("libndimage")))
}

/// Compiles one program (shared, its C++ check, and the static variant when listed).
/// Returns the executables to run.
fn build_program(program: &Program, lib: &Path, bin: &Path) -> Result<Vec<PathBuf>, String> {
    let src = Path::new(ROOT)
        .join("c-tests")
        .join(format!("{}.c", program.name));
    let exe = bin.join(&program.name);
    let mut cmd = compiler(false);
    cmd.arg(&src).arg("-o").arg(&exe).arg("-L").arg(lib);
    cmd.arg(format!("-Wl,-rpath,{}", lib.display()));
    cmd.args(["-lndimage", "-lm", "-lpthread"]);
    run_tool(cmd, &format!("compiling {}", src.display()))?;

    let mut cmd = compiler(true);
    cmd.args(["-x", "c++", "-fsyntax-only"]).arg(&src);
    run_tool(cmd, &format!("compiling {} as C++", src.display()))?;

    let mut exes = vec![exe];
    if program.also_static {
        let exe = bin.join(format!("{}_static", program.name));
        let mut cmd = compiler(false);
        cmd.arg(&src)
            .arg(lib.join("libndimage.a"))
            .arg("-o")
            .arg(&exe);
        cmd.args(STATIC_LIBS);
        run_tool(
            cmd,
            &format!("compiling {} against libndimage.a", src.display()),
        )?;
        if needs_libndimage(&exe)? {
            return Err(format!("{} is linked against libndimage.so", exe.display()));
        }
        exes.push(exe);
    }
    Ok(exes)
}

/// Runs one test program, its output going to NAME.log next to it. Ok with its RESULT line,
/// Err with what went wrong and the start of its output.
fn run_program(exe: &Path) -> Result<String, String> {
    let log_path = exe.with_extension("log");
    let log = fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    // `cargo test` puts its own target/debug/deps (which may hold another libndimage.so) on
    // LD_LIBRARY_PATH, which the loader searches before the program's rpath.
    let mut child = Command::new(exe)
        .env_remove("LD_LIBRARY_PATH")
        // The library is a debug build (and programs run side by side): programs that time
        // the library (test_progress) widen their bounds.
        .env("NDI_TIME_SLACK", "10")
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let output = fs::read_to_string(&log_path).unwrap_or_default();
    // "RESULT <file> <passed> <failed>", the last line of a program that ran to its end.
    let result = output.lines().rev().find_map(|l| {
        let words: Vec<&str> = l.strip_prefix("RESULT ")?.split_whitespace().collect();
        match words[..] {
            [_, passed, failed] => Some(format!("{passed} checks passed, {failed} failed")),
            _ => None,
        }
    });
    let elapsed = format!("{:.2} s", start.elapsed().as_secs_f64());
    let name = exe.file_name().unwrap().to_string_lossy();
    match (status, result) {
        (Some(status), Some(result)) if status.success() => {
            Ok(format!("{name:<26} {result} ({elapsed})"))
        }
        (status, _) => {
            let how = match status {
                None => format!("killed after {TIMEOUT:?}"),
                Some(s) => format!("{s}"),
            };
            let head: Vec<&str> = output.lines().take(80).collect();
            Err(format!(
                "{} failed ({how}, {elapsed}); output ({}):\n{}",
                exe.display(),
                log_path.display(),
                head.join("\n")
            ))
        }
    }
}

#[test]
fn every_c_test_source_is_listed() {
    let listed: Vec<String> = programs().into_iter().map(|p| p.name).collect();
    let dir = Path::new(ROOT).join("c-tests");
    for entry in fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(stem) = name
            .strip_prefix("test_")
            .and_then(|s| s.strip_suffix(".c"))
        {
            let program = format!("test_{stem}");
            assert!(
                listed.contains(&program),
                "c-tests/{name} is not in c-tests/programs.txt"
            );
        }
    }
    for name in &listed {
        assert!(
            dir.join(format!("{name}.c")).is_file(),
            "c-tests/{name}.c (listed) not found"
        );
    }
}

#[test]
fn c_test_programs() {
    let programs = programs();
    let lib = library_dir();
    let bin = work_dir().join("bin");
    fs::create_dir_all(&bin).unwrap();

    // Compile and run the programs a few at a time (the compiler is most of the time).
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<String, String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(program) = programs.get(i) else {
                    break;
                };
                let outcome = build_program(program, lib, &bin).and_then(|exes| {
                    let mut lines = Vec::new();
                    let mut failures = Vec::new();
                    for exe in &exes {
                        match run_program(exe) {
                            Ok(line) => lines.push(line),
                            Err(e) => failures.push(e),
                        }
                    }
                    if failures.is_empty() {
                        Ok(lines.join("\n"))
                    } else {
                        Err(failures.join("\n\n"))
                    }
                });
                results.lock().unwrap().push((i, outcome));
            });
        }
    });

    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    let mut report = String::new();
    let mut failed = Vec::new();
    for (i, outcome) in &results {
        match outcome {
            Ok(lines) => writeln!(report, "{lines}").unwrap(),
            Err(e) => {
                failed.push(programs[*i].name.as_str());
                writeln!(report, "FAILED {}:\n{e}\n", programs[*i].name).unwrap();
            }
        }
    }
    println!("C test programs against {}:\n{report}", lib.display());
    assert!(
        failed.is_empty(),
        "C test programs failed: {failed:?}\n\n{report}"
    );
}

/// The header on its own: C++98, C++11 and C++17 with -pedantic, and strict C99.
#[test]
fn header_compiles_alone() {
    let dir = work_dir().join("header");
    fs::create_dir_all(&dir).unwrap();
    // One source for the C and C++ checks (and for c-tests/run.sh and CMake).
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("c-tests/header_only.c");
    let mut errors = Vec::new();
    for std in ["c++98", "c++11", "c++17"] {
        let mut cmd = compiler(true);
        cmd.arg(format!("-std={std}"))
            .arg("-pedantic")
            .args(["-x", "c++", "-c"])
            .arg(&source);
        cmd.arg("-o").arg(dir.join(format!("header_only_{std}.o")));
        errors.extend(run_tool(cmd, &format!("ndimage.h as {std}")).err());
    }
    let mut cmd = compiler(false);
    cmd.arg("-pedantic")
        .arg("-c")
        .arg(&source)
        .arg("-o")
        .arg(dir.join("header_only_c99.o"));
    errors.extend(run_tool(cmd, "ndimage.h as C99").err());
    assert!(errors.is_empty(), "{}", errors.join("\n\n"));
}
