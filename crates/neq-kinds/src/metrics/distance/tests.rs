//! Behaviour of the `distance` and `noise_floor` metrics as the engine drives them: rows and
//! columns, density frames on both sides, errors, the n^(−1/2) noise floor, determinism for
//! any number of threads, the builders' own checks and the checker's view of both kinds.

use neq_core::{ArgValue, Args, Axis, Column, Density, Ensemble, RunContext, StreamKey, node_id};
use rand::RngExt;
use rand_distr::StandardNormal;

use super::*;

fn column<'a>(table: &'a Table, name: &str) -> &'a Column {
    table.columns().find(|(n, _)| *n == name).unwrap().1
}

fn floats(table: &Table) -> &[f64] {
    match column(table, "value") {
        Column::Float64(v) => v,
        other => panic!("{other:?}"),
    }
}

fn words(table: &Table, name: &str) -> Vec<String> {
    match column(table, name) {
        Column::Utf8(v) => v.clone(),
        other => panic!("{other:?}"),
    }
}

fn streams() -> StreamKey {
    StreamKey { seed: 5, node: node_id("d") }
}

/// A normal density N(mean, sd²) per axis, by midpoint values on `cells` cells per axis of
/// [−5, 5].
fn gaussian(dim: usize, mean: f64, sd: f64, cells: usize) -> Density {
    let axis = Axis { lo: -5.0, hi: 5.0, cells };
    let mut density = Density::zeros(vec![axis; dim]);
    for (c, v) in density.values.iter_mut().enumerate() {
        let (mut flat, mut r2) = (c, 0.0);
        for _ in 0..dim {
            r2 += ((axis.centre(flat % cells) - mean) / sd).powi(2);
            flat /= cells;
        }
        *v = (-r2 / 2.0).exp();
    }
    let mass = density.mass();
    density.values.iter_mut().for_each(|v| *v /= mass);
    density
}

/// `n` independent N(shift, 1) points per coordinate.
fn normal_ensemble(dim: usize, n: usize, seed: u64, shift: f64) -> Ensemble {
    let mut rng = StreamKey { seed, node: node_id("points") }.stream(&[]);
    let mut e = Ensemble::zeros(dim, n);
    for d in 0..dim {
        for x in e.coord_mut(d) {
            *x = shift + rng.sample::<f64, _>(StandardNormal);
        }
    }
    e
}

fn named<'a>(name: &'a str, frame: Frame<'a>) -> NamedFrame<'a> {
    NamedFrame { name, frame, observables: &[] }
}

fn distance(samplers: &[&str], reference: &str, measures: &[Measure]) -> Distance {
    let samplers = samplers.iter().map(|s| s.to_string()).collect();
    let mut metric =
        Distance::new(samplers, reference.into(), measures.to_vec(), Settings::default());
    metric.start(streams());
    metric
}

#[test]
fn rows_follow_samplers_then_measures_with_the_documented_columns() {
    let fp = gaussian(1, 0.0, 1.0, 500);
    let (a, b) = (normal_ensemble(1, 1000, 1, 0.0), normal_ensemble(1, 1000, 2, 1.0));
    let mut metric = distance(&["a", "b"], "fp", &Measure::DEFAULT);
    assert_eq!(metric.inputs(), ["a", "b", "fp"]);
    let frames = [
        named("a", Frame::Ensemble(&a)),
        named("b", Frame::Ensemble(&b)),
        named("fp", Frame::Density(&fp)),
    ];
    let mut table = Table::new("d", &COLUMNS);
    metric.observe(0.5, &frames, &mut table).unwrap();
    let names: Vec<&str> = table.columns().map(|(n, _)| n).collect();
    assert_eq!(names, ["sampler", "t", "reference", "measure", "value"]);
    assert_eq!(words(&table, "sampler"), ["a", "a", "a", "b", "b", "b"]);
    assert_eq!(words(&table, "measure"), ["w1", "jsd", "tv", "w1", "jsd", "tv"]);
    assert!(words(&table, "reference").iter().all(|r| r == "fp"));
    let v = floats(&table);
    // W₁(N(0, 1) sample, N(0, 1)) is O(n^(−1/2)); a shift by 1 gives W₁ ≈ 1.
    assert!(v[0] < 0.1 && (v[3] - 1.0).abs() < 0.1, "{v:?}");
    assert!(v[1] < v[4] && v[2] < v[5], "{v:?}");
}

#[test]
fn a_density_sampler_against_a_density_works_for_every_measure() {
    for dim in [1, 2] {
        let cells = if dim == 1 { 400 } else { 60 };
        let (p, q) = (gaussian(dim, 0.0, 1.0, cells), gaussian(dim, 0.5, 1.0, cells));
        let mut metric = distance(&["p", "same"], "q", &Measure::ALL);
        let frames = [
            named("p", Frame::Density(&p)),
            named("same", Frame::Density(&q)),
            named("q", Frame::Density(&q)),
        ];
        let mut table = Table::new("d", &COLUMNS);
        metric.observe(0.0, &frames, &mut table).unwrap();
        let v = floats(&table);
        let (shifted, same) = v.split_at(7);
        assert!(shifted.iter().all(|v| v.is_finite() && *v > 0.0), "{dim}-D: {shifted:?}");
        // W₁ of a shift by 0.5 along each axis: 0.5 in 1-D; sliced, (2/π)·|s| with |s| = 0.5√2.
        let w1 = if dim == 1 { 0.5 } else { 2.0 / std::f64::consts::PI * 0.5 * 2f64.sqrt() };
        assert!((shifted[0] - w1).abs() < 0.01 * w1 + 0.1 / cells as f64, "{dim}-D: {shifted:?}");
        // Identical densities: zero for every measure, up to the sampling of mmd and 2-D energy.
        for (measure, value) in Measure::ALL.iter().zip(same) {
            let sampled = *measure == Measure::Mmd || (*measure == Measure::Energy && dim > 1);
            let tolerance = if sampled { 1e-2 } else { 1e-12 };
            assert!(value.abs() < tolerance, "{dim}-D {measure:?}: {value}");
        }
    }
}

#[test]
fn densities_on_different_grids_fail_binned_measures_only() {
    let (p, q) = (gaussian(1, 0.0, 1.0, 400), gaussian(1, 0.0, 1.0, 300));
    let frames = [named("p", Frame::Density(&p)), named("q", Frame::Density(&q))];
    let mut table = Table::new("d", &COLUMNS);
    let error =
        distance(&["p"], "q", &[Measure::Tv]).observe(0.0, &frames, &mut table).unwrap_err();
    assert!(error.to_string().contains("different grids"), "{error}");
    distance(&["p"], "q", &[Measure::W1, Measure::Energy])
        .observe(0.0, &frames, &mut table)
        .unwrap();
    assert!(floats(&table).iter().all(|v| v.abs() < 1e-4), "{:?}", floats(&table));
}

#[test]
fn dimensions_must_agree_and_the_error_names_both() {
    let (line, plane) = (normal_ensemble(1, 10, 1, 0.0), gaussian(2, 0.0, 1.0, 10));
    let frames = [named("sim", Frame::Ensemble(&line)), named("fp", Frame::Density(&plane))];
    let mut table = Table::new("d", &COLUMNS);
    for metric in [
        &mut distance(&["sim"], "fp", &Measure::DEFAULT) as &mut dyn Metric,
        &mut NoiseFloor::new(
            vec!["sim".into()],
            "fp".into(),
            vec![Measure::W1],
            Against::Density,
            Settings::default(),
        ),
    ] {
        let error = metric.observe(0.0, &frames, &mut table).unwrap_err();
        assert!(matches!(error, MetricError::Other(_)), "{error:?}");
        let text = error.to_string();
        assert!(text.contains("`sim` is 1-D") && text.contains("`fp` is 2-D"), "{text}");
        // The checker asks the same before the run.
        assert_eq!(metric.check_dims(&[1, 2]).unwrap_err(), text);
        assert!(metric.check_dims(&[2, 2]).is_ok());
        assert!(metric.check_dims(&[4, 4]).unwrap_err().contains("1 to 3 coordinates"));
    }
}

/// Mean of `value` over `repeats` frames of a noise floor of n particles.
fn mean_floor(n: usize, against: Against, repeats: usize) -> f64 {
    let density = gaussian(1, 0.0, 1.0, 2000);
    let placeholder = Ensemble::zeros(1, n);
    let mut metric = NoiseFloor::new(
        vec!["sim".into()],
        "fp".into(),
        vec![Measure::W1],
        against,
        Settings::default(),
    );
    metric.start(streams());
    let frames =
        [named("sim", Frame::Ensemble(&placeholder)), named("fp", Frame::Density(&density))];
    let mut table = Table::new("f", &COLUMNS);
    for r in 0..repeats {
        metric.observe(r as f64, &frames, &mut table).unwrap();
    }
    floats(&table).iter().sum::<f64>() / repeats as f64
}

#[test]
fn the_noise_floor_of_w1_falls_as_one_over_root_n() {
    let (small, large) =
        (mean_floor(1000, Against::Density, 100), mean_floor(16_000, Against::Density, 100));
    let ratio = small / large;
    assert!((ratio - 4.0).abs() < 0.8, "W1 floor {small} at n = 1000, {large} at 16000: {ratio}");
    // Two independent samples differ by about √2 times as much as one sample from the truth.
    let pair = mean_floor(1000, Against::Samples, 100);
    assert!((pair / small - 2f64.sqrt()).abs() < 0.25, "{pair} vs {small}");
}

#[test]
fn against_density_the_floor_is_exactly_distance_of_the_exact_samples() {
    let density = gaussian(2, 0.3, 0.8, 40);
    let n = 3000;
    let placeholder = Ensemble::zeros(2, n);
    let mut floor = NoiseFloor::new(
        vec!["sim".into()],
        "fp".into(),
        Measure::ALL.to_vec(),
        Against::Density,
        Settings::default(),
    );
    floor.start(streams());
    let frames =
        [named("sim", Frame::Ensemble(&placeholder)), named("fp", Frame::Density(&density))];
    let mut floor_table = Table::new("f", &COLUMNS);
    floor.observe(0.0, &frames, &mut floor_table).unwrap();
    // The same draw, made here, and handed to `distance` with the same streams.
    let mut cells = CellSampler::new();
    cells.prepare(&density).unwrap();
    let mut samples = Ensemble::zeros(2, n);
    cells.fill(&mut samples, streams(), &NoiseFloor::set_key(0, 0, 0));
    let frames = [named("sim", Frame::Ensemble(&samples)), named("fp", Frame::Density(&density))];
    let mut table = Table::new("f", &COLUMNS);
    distance(&["sim"], "fp", &Measure::ALL).observe(0.0, &frames, &mut table).unwrap();
    assert_eq!(table, floor_table);
}

#[test]
fn the_noise_floor_needs_an_ensemble_sampler_and_a_density_reference() {
    let (points, density) = (normal_ensemble(1, 10, 1, 0.0), gaussian(1, 0.0, 1.0, 10));
    let mut metric = NoiseFloor::new(
        vec!["a".into()],
        "b".into(),
        vec![Measure::Tv],
        Against::Density,
        Settings::default(),
    );
    let mut table = Table::new("f", &COLUMNS);
    let both_densities =
        [named("a", Frame::Density(&density)), named("b", Frame::Density(&density))];
    let error = metric.observe(0.0, &both_densities, &mut table).unwrap_err();
    assert!(
        matches!(&error, MetricError::UnsupportedFrame { sampler, .. } if sampler == "a"),
        "{error}"
    );
    let both_ensembles =
        [named("a", Frame::Ensemble(&points)), named("b", Frame::Ensemble(&points))];
    let error = metric.observe(0.0, &both_ensembles, &mut table).unwrap_err();
    assert!(
        matches!(&error, MetricError::UnsupportedFrame { sampler, .. } if sampler == "b"),
        "{error}"
    );
    assert_eq!(table.num_rows(), 0);
}

/// Three frames of `distance` (2-D, every measure) and `noise_floor` (against samples).
fn run_both() -> (Table, Table) {
    let density = gaussian(2, 0.0, 1.0, 32);
    let mut d = distance(&["sim", "fp"], "fp", &Measure::ALL);
    let mut f = NoiseFloor::new(
        vec!["sim".into()],
        "fp".into(),
        Measure::ALL.to_vec(),
        Against::Samples,
        Settings { points: 300, ..Settings::default() },
    );
    f.start(streams());
    let (mut dt, mut ft) = (Table::new("d", &COLUMNS), Table::new("f", &COLUMNS));
    for k in 0..3 {
        let sim = normal_ensemble(2, 5000, k, 0.1 * k as f64);
        let frames = [
            named("sim", Frame::Ensemble(&sim)),
            named("fp", Frame::Density(&density)),
            named("fp", Frame::Density(&density)),
        ];
        d.observe(k as f64, &frames, &mut dt).unwrap();
        f.observe(k as f64, &[frames[0], frames[1]], &mut ft).unwrap();
    }
    (dt, ft)
}

#[test]
fn tables_repeat_exactly_for_any_number_of_threads() {
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(run_both)
    };
    let (one, two, three) = (on(1), on(2), on(3));
    assert_eq!(one, two);
    assert_eq!(one, three);
    assert_eq!(one, run_both());
    assert_eq!(one.0.num_rows(), 3 * 2 * 7);
    // Two sets of 5000 points on 100² bins leave cells that only one of them fills: kl = +∞.
    assert!(floats(&one.1).iter().all(|v| !v.is_nan()), "{:?}", floats(&one.1));
}

fn args(measures: Option<&[&str]>, directions: f64, points: f64) -> Args {
    let mut args = Args::new(vec![
        ("samplers", ArgValue::Samplers(vec!["sim".into()])),
        ("to", ArgValue::Sampler("fp".into())),
        ("bins", ArgValue::Number(100.0)),
        ("directions", ArgValue::Number(directions)),
        ("points", ArgValue::Number(points)),
        ("against", ArgValue::Word("samples".into())),
    ]);
    if let Some(words) = measures {
        args.set("measures", ArgValue::Words(words.iter().map(|w| w.to_string()).collect()));
    }
    args
}

#[test]
fn builders_fill_the_default_measures_and_check_their_own_bounds() {
    for kind in [DISTANCE_KIND, NOISE_FLOOR_KIND] {
        let Builder::Metric(build) = kind.builder else { unreachable!() };
        let built = build(&args(None, 64.0, 2000.0)).unwrap();
        assert_eq!(built.inputs(), ["sim", "fp"]);
        assert!(build(&args(Some(&["mmd", "energy"]), 1.0, 2.0)).is_ok());
        let error = |a: Args| build(&a).err().unwrap();
        assert_eq!(error(args(None, 0.0, 2000.0)).param, Some("directions"));
        let points = error(args(None, 64.0, 1.0));
        assert_eq!(points.param, Some("points"));
        assert!(points.hint.is_some());
        let twice = error(args(Some(&["tv", "w1", "tv"]), 64.0, 2000.0));
        assert!(twice.param == Some("measures") && twice.message.contains("`tv` is listed twice"));
        assert_eq!(error(args(Some(&[]), 64.0, 2000.0)).param, Some("measures"));
        let many = error(args(None, 1e5, 2000.0));
        assert!(many.param == Some("directions") && many.message.contains("limit"), "{many:?}");
        assert_eq!(error(args(None, 64.0, 1e6)).param, Some("points"));
    }
    // Without `measures` the table holds w1, jsd and tv.
    let Builder::Metric(build) = DISTANCE_KIND.builder else { unreachable!() };
    let mut metric = build(&args(None, 64.0, 2000.0)).unwrap();
    let (points, density) = (normal_ensemble(1, 50, 1, 0.0), gaussian(1, 0.0, 1.0, 10));
    let frames = [named("sim", Frame::Ensemble(&points)), named("fp", Frame::Density(&density))];
    let mut table = Table::new("d", &COLUMNS);
    metric.observe(0.0, &frames, &mut table).unwrap();
    assert_eq!(words(&table, "measure"), ["w1", "jsd", "tv"]);
}

/// Checks `text` with the built-in registry.
fn check(text: &str) -> neq_check::Checked {
    let registry = crate::builtin_registry();
    let mut sources = neq_diag::SourceMap::new();
    neq_check::check_text("t.neq", text, &Default::default(), &registry, &mut sources)
}

#[test]
fn pipelines_name_both_kinds_and_the_checker_refuses_unknown_measures() {
    let text = "seed = 3\n\
                potential well = harmonic(stiffness: 1)\n\
                sampler sim = langevin(well, particles: 2000, dt: 1e-3, kT: 1,\n\
                \x20                      init: point(x: 0.5))\n\
                sampler eq = boltzmann(well, particles: 4000, kT: 1, domain: [x: -4..4])\n\
                metric d = distance(sim, to: eq, measures: [w1, kl, energy])\n\
                metric f = noise_floor(sim, to: eq, against: samples)\n\
                record every 1 until 1\n";
    let checked = check(text);
    let mut pipeline = checked.pipeline.unwrap_or_else(|| panic!("{:?}", checked.diagnostics));
    for node in &mut pipeline.samplers {
        let ctx =
            RunContext { streams: StreamKey { seed: 3, node: node_id(&node.name) }, frame: 0 };
        node.sampler.start(0.0, ctx).unwrap();
    }
    let frame = |name: &str| {
        let node = pipeline.samplers.iter().find(|s| s.name == name).unwrap();
        NamedFrame { name: &node.name, frame: node.sampler.frame(), observables: &[] }
    };
    let frames = [frame("sim"), frame("eq")];
    let mut table = Table::new("d", &COLUMNS);
    let d = pipeline.metrics.iter_mut().find(|m| m.name == "d").unwrap();
    d.metric.observe(0.0, &frames, &mut table).unwrap();
    // Every particle sits at 0.5: W₁ to N(0, 1) is E|X − 0.5| ≈ 0.896, and KL is −ln q for
    // the reference mass q of the bin holding 0.5, one of 100 bins over about [−4, 4].
    let v = floats(&table);
    assert!((v[0] - 0.896).abs() < 0.05 && v[2] > 0.0, "{v:?}");
    assert!(v[1].is_finite() && v[1] > 2.0 && v[1] < 5.0, "{v:?}");
    let f = pipeline.metrics.iter_mut().find(|m| m.name == "f").unwrap();
    let error = f.metric.observe(0.0, &frames, &mut table).unwrap_err();
    assert!(matches!(error, MetricError::UnsupportedFrame { .. }), "{error}");

    let checked = check(&text.replace("[w1, kl, energy]", "[w1, w2]"));
    assert!(checked.pipeline.is_none());
    let messages: Vec<&str> = checked.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("expected one of `w1`, `kl`")), "{messages:?}");
}
