//! The `gradlab` binary: the web app's entry point in WebAssembly, and a command-line
//! runner natively (`gradlab run FILE [--trace FILE.csv]`, `gradlab bench`).

/// The page's heap: talc (binned free lists with coalescing, O(1) allocate and free) is
/// 2.5 KB gzip smaller in the bundle than Rust's default dlmalloc. The page has one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

#[cfg(target_arch = "wasm32")]
fn main() {
    gradlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main(std::env::args().skip(1).collect()));
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use gradlab::train::report::{bench_experiments, run};
    use gradlab::train::Experiment;
    use std::time::{Duration, Instant};

    const USAGE: &str = "usage:
  gradlab run FILE.json [--trace TRACE.csv]   train as the experiment file says; print JSON
  gradlab bench [--seconds S]                 training samples/second (one core)";

    pub fn main(args: Vec<String>) -> i32 {
        match args.first().map(String::as_str) {
            Some("run") => run_cmd(&args[1..]),
            Some("bench") => bench_cmd(&args[1..]),
            Some("-h") | Some("--help") | Some("help") => {
                println!("{USAGE}");
                0
            }
            _ => {
                eprintln!("{USAGE}");
                2
            }
        }
    }

    fn run_cmd(args: &[String]) -> i32 {
        let (mut file, mut trace) = (None, None);
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--trace" => match it.next() {
                    Some(p) => trace = Some(p.clone()),
                    None => {
                        eprintln!("--trace needs a file name\n{USAGE}");
                        return 2;
                    }
                },
                _ if file.is_none() => file = Some(a.clone()),
                _ => {
                    eprintln!("unexpected argument {a}\n{USAGE}");
                    return 2;
                }
            }
        }
        let Some(file) = file else {
            eprintln!("{USAGE}");
            return 2;
        };
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {file}: {e}");
                return 1;
            }
        };
        let exp = match Experiment::from_json(&text) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{file}: {e}");
                return 1;
            }
        };
        let mut csv = trace.as_ref().map(|_| String::new());
        let report = match run(&exp, csv.as_mut()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{file}: {e}");
                return 1;
            }
        };
        if let (Some(path), Some(csv)) = (trace, csv) {
            if let Err(e) = std::fs::write(&path, csv) {
                eprintln!("cannot write {path}: {e}");
                return 1;
            }
        }
        println!("{}", serde_json::to_string(&report).expect("report serializes"));
        0
    }

    fn bench_cmd(args: &[String]) -> i32 {
        let seconds: f64 = match args {
            [] => 2.0,
            [flag, s] if flag == "--seconds" => match s.parse() {
                Ok(v) if v > 0.0 => v,
                _ => {
                    eprintln!("--seconds needs a positive number");
                    return 2;
                }
            },
            _ => {
                eprintln!("{USAGE}");
                return 2;
            }
        };
        let budget = Duration::from_secs_f64(seconds);
        println!("gradlab bench (native, one thread, {seconds} s per setup)");
        for (name, exp) in bench_experiments() {
            let mut t = exp.build().expect("bench builds").trainer;
            t.run(200); // warm up
            let mut samples = 0usize;
            let start = Instant::now();
            while start.elapsed() < budget {
                for _ in 0..100 {
                    t.step();
                    samples += t.batch().len();
                }
                if t.divergence().is_some() {
                    t.reset();
                }
            }
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{name}: {:.0} training samples/s ({} updates in {:.2} s)",
                samples as f64 / secs,
                t.updates(),
                secs
            );
        }
        0
    }
}
