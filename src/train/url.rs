//! The playground's URL-hash form: `#d=circle&nz=0&h=4,2&…`.
//!
//! [`decode`] never fails: unknown keys are ignored, out-of-range values clamped and
//! malformed values replaced by defaults, each reported once as a [`Notice`].

use super::playground::{limits, Head, Playground, SPEEDS};
use super::decimal::parse_f64;
use crate::data::{Feature, GeneratorKind};
use crate::nn::optimizer::OptimizerKind;
use crate::nn::regularization::RegKind;
use crate::nn::{Activation, Init, Schedule};
use std::fmt::Write as _;

/// What was wrong with one setting of a hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A key the app does not know; it was ignored.
    Unknown {
        /// The key.
        key: String,
    },
    /// A value that could not be read; the default was used.
    Malformed {
        /// The key.
        key: String,
        /// The value as given.
        value: String,
    },
    /// A value outside its range; the nearest allowed value was used.
    Clamped {
        /// The key.
        key: String,
        /// The value as given.
        value: String,
        /// The value used.
        used: String,
    },
    /// A list longer than allowed; only its first entries were kept.
    TooMany {
        /// The key.
        key: String,
        /// How many entries the link had.
        given: usize,
        /// How many were kept.
        kept: usize,
    },
}

impl Notice {
    /// An English sentence describing the notice.
    pub fn message(&self) -> String {
        match self {
            Notice::Unknown { key } => format!("Ignored the unknown setting “{key}” in the link."),
            Notice::Malformed { key, value } => {
                format!("The link's setting “{key}={value}” could not be read; the default is used.")
            }
            Notice::Clamped { key, value, used } => {
                format!("The link's setting “{key}={value}” is out of range; {used} is used.")
            }
            Notice::TooMany { key, given, kept } => {
                format!("The link's setting “{key}” lists {given} entries; only the first {kept} are used.")
            }
        }
    }

    /// The same sentence in Simplified Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Notice::Unknown { key } => format!("已忽略链接中的未知设置“{key}”。"),
            Notice::Malformed { key, value } => format!("无法读取链接中的设置“{key}={value}”，已改用默认值。"),
            Notice::Clamped { key, value, used } => format!("链接中的设置“{key}={value}”超出范围，已改用 {used}。"),
            Notice::TooMany { key, given, kept } => format!("链接中的设置“{key}”有 {given} 项，只使用前 {kept} 项。"),
        }
    }
}

fn fmt_f(v: f64) -> String {
    // Shortest text that reads back to the same f64.
    format!("{v}")
}

fn schedule_text(s: &Schedule) -> String {
    match *s {
        Schedule::Constant => "constant".into(),
        Schedule::InverseTime { decay } => format!("inv:{}", fmt_f(decay)),
        Schedule::Step { step_size, gamma } => format!("step:{step_size}:{}", fmt_f(gamma)),
        Schedule::Exponential { gamma } => format!("exp:{}", fmt_f(gamma)),
    }
}

fn parse_schedule(s: &str) -> Option<Schedule> {
    let parts: Vec<&str> = s.split(':').collect();
    let f = |t: &str| parse_f64(t).filter(|v| v.is_finite());
    let sch = match parts.as_slice() {
        ["constant"] => Schedule::Constant,
        ["inv", d] => Schedule::InverseTime { decay: f(d)? },
        ["step", n, g] => Schedule::Step { step_size: n.parse().ok()?, gamma: f(g)? },
        ["exp", g] => Schedule::Exponential { gamma: f(g)? },
        _ => return None,
    };
    sch.validate().ok().map(|_| sch)
}

fn reg_name(r: RegKind) -> &'static str {
    match r {
        RegKind::None => "none",
        RegKind::L1 => "l1",
        RegKind::L2 => "l2",
    }
}

/// The hash (without `#`) for a configuration. Default values are written too, so a
/// link stays the same when defaults change.
pub fn encode(p: &Playground) -> String {
    let mut s = String::new();
    let list = |v: &[String]| if v.is_empty() { "-".to_string() } else { v.join(",") };
    let _ = write!(
        s,
        "d={}&nz={}&n={}&tr={}&va={}&b={}&s={}&ws={}&f={}&h={}&a={}&o={}&opt={}&lr={}&mu={}&b1={}&b2={}&al={}&sch={}&reg={}&rr={}&i={}&sp={}&dis={}&tst={}&log={}",
        p.dataset.name(),
        fmt_f(p.noise),
        p.samples,
        p.train_pct,
        p.val_pct,
        p.batch,
        p.seed,
        p.weight_seed,
        list(&p.features.iter().map(|f| f.name().to_string()).collect::<Vec<_>>()),
        list(&p.hidden.iter().map(|h| h.to_string()).collect::<Vec<_>>()),
        p.activation.name(),
        p.head.name(),
        p.optimizer.name(),
        fmt_f(p.lr),
        fmt_f(p.momentum),
        fmt_f(p.beta1),
        fmt_f(p.beta2),
        fmt_f(p.alpha),
        schedule_text(&p.schedule),
        reg_name(p.reg),
        fmt_f(p.reg_rate),
        p.init.name(),
        p.speed,
        p.discretize as u8,
        p.show_test as u8,
        p.log_scale as u8,
    );
    if !p.added.is_empty() {
        let pts: Vec<String> = p.added.iter().map(|(a, b, c)| format!("{}:{}:{}", fmt_f(*a), fmt_f(*b), fmt_f(*c))).collect();
        let _ = write!(s, "&add={}", pts.join(";"));
    }
    if !p.removed.is_empty() {
        let _ = write!(s, "&rm={}", p.removed.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    }
    s
}

struct Decoder {
    notices: Vec<Notice>,
}

impl Decoder {
    fn malformed(&mut self, key: &str, value: &str) {
        self.notices.push(Notice::Malformed { key: key.into(), value: value.into() });
    }

    fn clamped(&mut self, key: &str, value: &str, used: String) {
        self.notices.push(Notice::Clamped { key: key.into(), value: value.into(), used });
    }

    /// A number in `[lo, hi]`: malformed → `None` (default kept), outside → clamped.
    fn num(&mut self, key: &str, value: &str, lo: f64, hi: f64) -> Option<f64> {
        match parse_f64(value) {
            Some(v) if v.is_finite() => {
                if v < lo || v > hi {
                    let c = v.clamp(lo, hi);
                    self.clamped(key, value, fmt_f(c));
                    Some(c)
                } else {
                    Some(v)
                }
            }
            _ => {
                self.malformed(key, value);
                None
            }
        }
    }

    fn int(&mut self, key: &str, value: &str, lo: u64, hi: u64) -> Option<u64> {
        match value.parse::<u64>() {
            Ok(v) if v < lo || v > hi => {
                let c = v.clamp(lo, hi);
                self.clamped(key, value, c.to_string());
                Some(c)
            }
            Ok(v) => Some(v),
            Err(_) if value.parse::<i64>().is_ok() => {
                // A negative integer is out of range, not malformed.
                self.clamped(key, value, lo.to_string());
                Some(lo)
            }
            Err(_) => {
                self.malformed(key, value);
                None
            }
        }
    }

    fn flag(&mut self, key: &str, value: &str) -> Option<bool> {
        match value {
            "1" | "true" => Some(true),
            "0" | "false" => Some(false),
            _ => {
                self.malformed(key, value);
                None
            }
        }
    }

    fn named<T>(&mut self, key: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let r = parse(value);
        if r.is_none() {
            self.malformed(key, value);
        }
        r
    }
}

/// Minimal percent-decoding (`%XX`); invalid escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a hash (with or without the leading `#`). Never fails; see [`Notice`].
pub fn decode(hash: &str) -> (Playground, Vec<Notice>) {
    let mut p = Playground::default();
    let mut d = Decoder { notices: Vec::new() };
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let mut seen: Vec<String> = Vec::new();
    for pair in hash.split('&').filter(|s| !s.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key);
        let value = percent_decode(value);
        let (key, value) = (key.as_str(), value.as_str());
        if key == "debug-panic" {
            continue; // the error-banner self-test, handled by the page
        }
        if seen.iter().any(|k| k == key) {
            continue; // the first occurrence wins; report nothing twice
        }
        seen.push(key.to_string());
        match key {
            "d" => {
                if let Some(v) = d.named(key, value, GeneratorKind::from_name) {
                    p.dataset = v;
                }
            }
            "nz" => {
                if let Some(v) = d.num(key, value, 0.0, 0.5) {
                    p.noise = v;
                }
            }
            "n" => {
                if let Some(v) = d.int(key, value, limits::SAMPLES.0 as u64, limits::SAMPLES.1 as u64) {
                    p.samples = v as usize;
                }
            }
            "tr" => {
                if let Some(v) = d.int(key, value, 10, 90) {
                    p.train_pct = v as u32;
                }
            }
            "va" => {
                if let Some(v) = d.int(key, value, 0, 40) {
                    p.val_pct = v as u32;
                }
            }
            "b" => {
                if let Some(v) = d.int(key, value, 1, limits::SAMPLES.1 as u64) {
                    p.batch = v as usize;
                }
            }
            "s" => {
                if let Some(v) = d.int(key, value, 0, u32::MAX as u64) {
                    p.seed = v;
                }
            }
            "ws" => {
                if let Some(v) = d.int(key, value, 0, u32::MAX as u64) {
                    p.weight_seed = v;
                }
            }
            "f" => {
                let fs: Option<Vec<Feature>> = value.split(',').map(Feature::from_name).collect();
                match fs {
                    Some(fs) if !fs.is_empty() => {
                        p.features = Feature::canonical(&fs);
                    }
                    _ => d.malformed(key, value),
                }
            }
            "h" => {
                if value == "-" {
                    p.hidden.clear();
                } else {
                    let hs: Option<Vec<u64>> = value.split(',').map(|t| t.parse().ok()).collect();
                    match hs {
                        Some(hs) => {
                            let mut out: Vec<usize> =
                                hs.iter().map(|&h| h.clamp(1, limits::MAX_NEURONS as u64) as usize).collect();
                            out.truncate(limits::MAX_LAYERS);
                            if out.len() != hs.len() || out.iter().zip(&hs).any(|(&a, &b)| a as u64 != b) {
                                let used = out.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(",");
                                d.clamped(key, value, used);
                            }
                            p.hidden = out;
                        }
                        None => d.malformed(key, value),
                    }
                }
            }
            "a" => {
                if let Some(v) = d.named(key, value, |s| Activation::from_name(s).filter(|a| a.is_elementwise())) {
                    p.activation = v;
                }
            }
            "o" => {
                if let Some(v) = d.named(key, value, Head::from_name) {
                    p.head = v;
                }
            }
            "opt" => {
                if let Some(v) = d.named(key, value, OptimizerKind::from_name) {
                    p.optimizer = v;
                }
            }
            "lr" => {
                if let Some(v) = d.num(key, value, 1e-6, 10.0) {
                    p.lr = v;
                }
            }
            "mu" => {
                if let Some(v) = d.num(key, value, 0.0, 0.999) {
                    p.momentum = v;
                }
            }
            "b1" => {
                if let Some(v) = d.num(key, value, 0.0, 0.999) {
                    p.beta1 = v;
                }
            }
            "b2" => {
                if let Some(v) = d.num(key, value, 0.0, 0.99999) {
                    p.beta2 = v;
                }
            }
            "al" => {
                if let Some(v) = d.num(key, value, 0.0, 0.9999) {
                    p.alpha = v;
                }
            }
            "sch" => {
                if let Some(v) = d.named(key, value, parse_schedule) {
                    p.schedule = v;
                }
            }
            "reg" => {
                if let Some(v) = d.named(key, value, |s| match s {
                    "none" => Some(RegKind::None),
                    "l1" => Some(RegKind::L1),
                    "l2" => Some(RegKind::L2),
                    _ => None,
                }) {
                    p.reg = v;
                }
            }
            "rr" => {
                if let Some(v) = d.num(key, value, 0.0, 1.0) {
                    p.reg_rate = v;
                }
            }
            "i" => {
                if let Some(v) = d.named(key, value, Init::from_name) {
                    p.init = v;
                }
            }
            "sp" => {
                if let Some(v) = d.int(key, value, 0, SPEEDS.len() as u64 - 1) {
                    p.speed = v as usize;
                }
            }
            "dis" => {
                if let Some(v) = d.flag(key, value) {
                    p.discretize = v;
                }
            }
            "tst" => {
                if let Some(v) = d.flag(key, value) {
                    p.show_test = v;
                }
            }
            "log" => {
                if let Some(v) = d.flag(key, value) {
                    p.log_scale = v;
                }
            }
            "add" => {
                let pts: Option<Vec<(f64, f64, f64)>> = value
                    .split(';')
                    .map(|t| {
                        let v: Vec<f64> = t.split(':').map(|x| parse_f64(x).filter(|f| f.is_finite())).collect::<Option<_>>()?;
                        (v.len() == 3).then(|| (v[0].clamp(-6.0, 6.0), v[1].clamp(-6.0, 6.0), v[2].clamp(-1.0, 1.0)))
                    })
                    .collect();
                match pts {
                    Some(mut pts) => {
                        if pts.len() > limits::MAX_ADDED {
                            pts.truncate(limits::MAX_ADDED);
                            let given = value.split(';').count();
                            d.notices.push(Notice::TooMany { key: key.into(), given, kept: limits::MAX_ADDED });
                        }
                        p.added = pts;
                    }
                    None => d.malformed(key, value),
                }
            }
            "rm" => {
                let idx: Option<Vec<usize>> = value.split(',').map(|t| t.parse().ok()).collect();
                match idx {
                    Some(idx) => {
                        // Distinct, ascending, in range: marks in a table of the possible indices.
                        let mut seen = vec![false; limits::SAMPLES.1];
                        for i in idx {
                            if let Some(s) = seen.get_mut(i) {
                                *s = true;
                            }
                        }
                        p.removed = (0..seen.len()).filter(|&i| seen[i]).collect();
                    }
                    None => d.malformed(key, value),
                }
            }
            _ => d.notices.push(Notice::Unknown { key: key.chars().take(40).collect() }),
        }
    }
    // Settings that depend on each other.
    if p.train_pct + p.val_pct > 100 {
        let v = 100 - p.train_pct;
        d.clamped("va", &p.val_pct.to_string(), v.to_string());
        p.val_pct = v;
    }
    if !p.head.fits(p.regression()) {
        d.malformed("o", p.head.name());
        p.head = Head::LinearMse;
    }
    if p.optimizer == OptimizerKind::Nesterov && p.momentum == 0.0 {
        d.clamped("mu", "0", "0.9".into());
        p.momentum = 0.9;
    }
    (p, d.notices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_round_trips_without_notices() {
        let p = Playground::default();
        let (q, n) = decode(&format!("#{}", encode(&p)));
        assert_eq!(q, p);
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn bad_values_are_reported_once_each() {
        let (p, n) = decode("d=banana&lr=abc&nz=9&h=4,99&zzz=1&a=softmax&lr=5&tr=-3");
        assert_eq!(p.dataset, GeneratorKind::Circle);
        assert_eq!(p.lr, Playground::default().lr);
        assert_eq!(p.noise, 0.5);
        assert_eq!(p.hidden, vec![4, limits::MAX_NEURONS]);
        assert_eq!(p.train_pct, 10);
        assert_eq!(n.len(), 7, "{n:?}");
        assert!(n.contains(&Notice::Unknown { key: "zzz".into() }));
        assert!(n.iter().all(|x| !x.message().is_empty()));
        assert!(n.iter().all(|x| x.message_zh().contains('链') && x.message_zh() != x.message()));
    }

    #[test]
    fn schedules_and_points_round_trip() {
        let p = Playground {
            schedule: Schedule::Step { step_size: 100, gamma: 0.5 },
            added: vec![(1.25, -2.5, 1.0)],
            removed: vec![3, 17],
            hidden: vec![],
            ..Default::default()
        };
        let (q, n) = decode(&encode(&p));
        assert!(n.is_empty(), "{n:?}");
        assert_eq!(q, p);
        assert_eq!(percent_decode("a%3Db%2"), "a=b%2");
        assert_eq!(percent_decode("%é%4"), "%é%4");
    }
}
