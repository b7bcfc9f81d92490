//! Property tests for the playground's URL-hash codec: every configuration survives a
//! round trip with no notices, and any string decodes (never panics) to a configuration
//! that builds and re-encodes stably.
#![cfg(not(target_arch = "wasm32"))]

use gradlab::data::{Feature, GeneratorKind};
use gradlab::nn::optimizer::OptimizerKind;
use gradlab::nn::regularization::RegKind;
use gradlab::nn::{Activation, Init, Schedule};
use gradlab::train::playground::{Head, Playground, SPEEDS};
use gradlab::train::url::{decode, encode};
use proptest::prelude::*;

fn playground() -> impl Strategy<Value = Playground> {
    let data = (
        prop::sample::select(GeneratorKind::ALL.to_vec()),
        0.0f64..=0.5,
        20usize..=2000,
        10u32..=90,
        0u32..=10,
        1usize..=500,
        0u64..100_000,
        0u64..1000,
        prop::sample::subsequence(Feature::ALL.to_vec(), 1..=7),
    );
    let net = (
        prop::collection::vec(1usize..=32, 0..=8),
        prop::sample::select(Activation::HIDDEN.to_vec()),
        prop::sample::select(Head::ALL.to_vec()),
        prop::sample::select(OptimizerKind::ALL.to_vec()),
        1e-6f64..=10.0,
        0.0f64..0.999,
        0.0f64..0.999,
        0.0f64..0.99999,
        0.0f64..0.9999,
    );
    let rest = (
        prop_oneof![
            Just(Schedule::Constant),
            (0.0f64..1.0).prop_map(|decay| Schedule::InverseTime { decay }),
            (1u64..10_000, 0.01f64..1.0).prop_map(|(step_size, gamma)| Schedule::Step { step_size, gamma }),
            (0.9f64..1.0).prop_map(|gamma| Schedule::Exponential { gamma }),
        ],
        prop::sample::select(vec![RegKind::None, RegKind::L1, RegKind::L2]),
        0.0f64..=1.0,
        prop::sample::select(Init::ALL.to_vec()),
        0usize..SPEEDS.len(),
        any::<(bool, bool, bool)>(),
        prop::collection::vec((-6.0f64..=6.0, -6.0f64..=6.0, prop::sample::select(vec![0.0, 1.0])), 0..20),
        prop::collection::btree_set(0usize..2000, 0..20),
    );
    (data, net, rest).prop_map(|(d, n, r)| {
        let mut p = Playground {
            dataset: d.0,
            noise: d.1,
            samples: d.2,
            train_pct: d.3,
            val_pct: d.4,
            batch: d.5,
            seed: d.6,
            weight_seed: d.7,
            features: d.8,
            hidden: n.0,
            activation: n.1,
            head: n.2,
            optimizer: n.3,
            lr: n.4,
            momentum: n.5,
            beta1: n.6,
            beta2: n.7,
            alpha: n.8,
            schedule: r.0,
            reg: r.1,
            reg_rate: r.2,
            init: r.3,
            speed: r.4,
            discretize: r.5 .0,
            show_test: r.5 .1,
            log_scale: r.5 .2,
            added: r.6,
            removed: r.7.into_iter().collect(),
        };
        if !p.head.fits(p.regression()) {
            p.head = Head::LinearMse;
        }
        if p.optimizer == OptimizerKind::Nesterov && p.momentum == 0.0 {
            p.momentum = 0.9;
        }
        p
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn every_configuration_round_trips(p in playground()) {
        let (q, notices) = decode(&encode(&p));
        prop_assert!(notices.is_empty(), "{:?}", notices);
        prop_assert_eq!(q, p);
    }

    #[test]
    fn any_text_decodes_and_is_then_stable(s in ".{0,200}") {
        let (p, _) = decode(&s);
        let (q, again) = decode(&encode(&p));
        prop_assert!(again.is_empty(), "{:?}", again);
        prop_assert_eq!(q, p);
    }

    #[test]
    fn key_value_soup_decodes_to_a_stable_configuration(
        pairs in prop::collection::vec((
            prop::sample::select(vec!["d","nz","n","tr","va","b","s","ws","f","h","a","o","opt","lr","mu","b1","b2","al","sch","reg","rr","i","sp","dis","tst","log","add","rm","zz"]),
            "[-a-z0-9.,:;^*()_]{0,12}"), 0..12)
    ) {
        let hash: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let (p, _) = decode(&hash.join("&"));
        let (q, again) = decode(&encode(&p));
        prop_assert!(again.is_empty(), "{:?}", again);
        prop_assert_eq!(q, p);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Whatever a link says, the page gets a configuration that builds a trainer.
    #[test]
    fn decoded_configurations_build(p in playground()) {
        let built = p.build();
        prop_assert!(built.is_ok(), "{:?}", built.err());
        let mut t = built.unwrap().trainer;
        t.step();
    }
}

#[test]
fn malformed_hash_reports_each_problem_once() {
    let (p, n) = decode("#d=spiral&lr=oops&h=4,x&q=1&q=2&nz=0.9");
    assert_eq!(p.dataset, GeneratorKind::Spiral);
    assert_eq!(p.lr, Playground::default().lr);
    assert_eq!(p.hidden, Playground::default().hidden);
    assert_eq!(p.noise, 0.5);
    assert_eq!(n.len(), 4, "{n:?}");
}

#[test]
fn removed_points_and_features_come_back_sorted_and_distinct() {
    let (p, n) = decode("#rm=7,3,7,1999,2000,0&f=sin(x2),x1,sin(x2)");
    assert_eq!(p.removed, vec![0, 3, 7, 1999], "indices past the largest data set are dropped");
    assert_eq!(p.features, vec![Feature::X1, Feature::SinX2]);
    assert!(n.is_empty(), "{n:?}");
    assert_eq!(decode(&encode(&p)).0, p);
}
