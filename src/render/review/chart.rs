//! Small inline SVG charts for the review: a line chart against an objective
//! line and a bar chart. Each chart is a self-contained `<svg>` with a
//! `<title>` and `<desc>` (read by screen readers, `role="img"`), no script,
//! no font and no external reference; values are also printed on the chart, so
//! it reads in greyscale, and series differ by marker shape, dash and hatching
//! as well as by colour (the Okabe–Ito palette, safe for colour blindness).
//! The figures behind each chart are also given as a table by the page.
//!
//! Why not plotters: its SVG backend draws text through its own font layer
//! (font-kit by default, or no text at all without it), offers no `<title>`/
//! `<desc>`/`role` for accessibility nor pattern fills, and would add a large
//! dependency tree for two chart types of a few dozen lines each.

use std::fmt::Write as _;

/// Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
pub const BLUE: &str = "#0072B2";
/// Okabe–Ito orange.
pub const ORANGE: &str = "#E69F00";
/// Okabe–Ito bluish green.
pub const GREEN: &str = "#009E73";
/// Okabe–Ito vermillion.
pub const VERMILLION: &str = "#D55E00";
/// Okabe–Ito reddish purple.
pub const PURPLE: &str = "#CC79A7";

const WIDTH: f64 = 340.0;
const HEIGHT: f64 = 190.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 26.0;
const BOTTOM: f64 = 34.0;

/// The shape that marks a line chart's points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
}

/// A line over periods against an optional objective line.
#[derive(Clone, Debug)]
pub struct LineChart {
    /// A unique id in the page (for `aria-labelledby`).
    pub id: String,
    /// The chart's title.
    pub title: String,
    /// The text alternative in one sentence.
    pub description: String,
    /// One label per point (x axis).
    pub labels: Vec<String>,
    /// The values; `None` leaves a gap.
    pub values: Vec<Option<f64>>,
    /// The objective, drawn as a dashed line.
    pub target: Option<f64>,
    /// Values are percentages (the axis tops out at 100).
    pub percent: bool,
    /// The point marker.
    pub marker: Marker,
    /// The line colour.
    pub colour: &'static str,
}

/// Bars, one per label.
#[derive(Clone, Debug)]
pub struct BarChart {
    /// A unique id in the page.
    pub id: String,
    /// The chart's title.
    pub title: String,
    /// The text alternative in one sentence.
    pub description: String,
    /// One label per bar.
    pub labels: Vec<String>,
    /// The values; `None` draws no bar and prints "–".
    pub values: Vec<Option<f64>>,
    /// How a value is printed above its bar.
    pub value_labels: Vec<String>,
    /// The unit of the y axis (`incidents`, `hours`).
    pub unit: String,
    /// Give each bar its own colour and hatching (categories), else one colour.
    pub categorical: bool,
}

/// Escapes text for SVG (XML) content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::render::sanitize(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A "nice" axis for `[low, high]`: `(start, end, step)` with about four steps
/// of 1, 2 or 5 × 10ⁿ.
pub fn nice_axis(low: f64, high: f64) -> (f64, f64, f64) {
    let (low, high) = if (high - low).abs() < f64::EPSILON {
        (low - 1.0, high + 1.0)
    } else {
        (low.min(high), low.max(high))
    };
    let raw = (high - low) / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (low / step).floor() * step;
    let end = (high / step).ceil() * step;
    (start, end, step)
}

/// A tick label with as many decimals as the step needs.
fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    format!("{value:.decimals$}")
}

fn open_svg(out: &mut String, id: &str, title: &str, description: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(description)
    );
}

/// The x position of point `i` of `n` (centred in its slot).
fn slot_x(i: usize, n: usize) -> f64 {
    let inner = WIDTH - LEFT - RIGHT;
    LEFT + inner * (i as f64 + 0.5) / n.max(1) as f64
}

/// Draws the y axis grid and labels for `[start, end]` and returns the mapping.
fn y_axis(out: &mut String, start: f64, end: f64, step: f64) -> impl Fn(f64) -> f64 + use<> {
    let inner = HEIGHT - TOP - BOTTOM;
    let span = (end - start).max(f64::EPSILON);
    let y = move |v: f64| TOP + inner * (1.0 - (v - start) / span);
    let mut tick = start;
    let mut guard = 0;
    while tick <= end + step / 2.0 && guard < 20 {
        let at = y(tick);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}" stroke="#d0d0d0" stroke-width="0.6"/><text x="{}" y="{:.1}" text-anchor="end" font-size="9" fill="#333">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 4.0,
            at + 3.0,
            tick_label(tick, step)
        );
        tick += step;
        guard += 1;
    }
    y
}

fn x_labels(out: &mut String, labels: &[String]) {
    let n = labels.len();
    for (i, label) in labels.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="8.5" fill="#333">{}</text>"##,
            slot_x(i, n),
            HEIGHT - BOTTOM + 13.0,
            escape(label)
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="{}" y2="{}" stroke="#555" stroke-width="0.8"/>"##,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM
    );
}

fn marker(out: &mut String, shape: Marker, x: f64, y: f64, colour: &str) {
    match shape {
        Marker::Circle => {
            let _ = write!(
                out,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.2" fill="{colour}" stroke="#000" stroke-width="0.6"/>"##
            );
        }
        Marker::Square => {
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="6" height="6" fill="{colour}" stroke="#000" stroke-width="0.6"/>"##,
                x - 3.0,
                y - 3.0
            );
        }
    }
}

/// Renders a line chart as an inline `<svg>`.
pub fn line_chart(chart: &LineChart) -> String {
    let mut out = String::new();
    open_svg(&mut out, &chart.id, &chart.title, &chart.description);
    let known: Vec<f64> = chart.values.iter().flatten().copied().collect();
    let mut low = known.iter().copied().fold(f64::INFINITY, f64::min);
    let mut high = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if let Some(target) = chart.target {
        low = low.min(target);
        high = high.max(target);
    }
    if !low.is_finite() || !high.is_finite() {
        (low, high) = if chart.percent {
            (0.0, 100.0)
        } else {
            (0.0, 1.0)
        };
    }
    let (mut start, mut end, step) = nice_axis(low, high);
    if chart.percent {
        end = end.min(100.0).max(high);
        start = start.max(0.0);
    }
    if end <= start {
        end = start + step;
    }
    let y = y_axis(&mut out, start, end, step);
    x_labels(&mut out, &chart.labels);
    let n = chart.values.len();
    // The legend, above the plot, so that it never covers a point.
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" x2="{}" y1="9" y2="9" stroke="{}" stroke-width="2"/>"##,
        LEFT + 18.0,
        chart.colour
    );
    marker(&mut out, chart.marker, LEFT + 9.0, 9.0, chart.colour);
    let _ = write!(
        out,
        r##"<text x="{}" y="12" font-size="8.5" fill="#000">per period</text>"##,
        LEFT + 22.0
    );
    if let Some(target) = chart.target {
        let at = y(target);
        let legend = LEFT + 90.0;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{at:.1}" y2="{at:.1}" stroke="#000" stroke-width="1.2" stroke-dasharray="6 3"/><line x1="{legend}" x2="{}" y1="9" y2="9" stroke="#000" stroke-width="1.2" stroke-dasharray="6 3"/><text x="{}" y="12" font-size="8.5" fill="#000">objective {}</text>"##,
            WIDTH - RIGHT,
            legend + 18.0,
            legend + 22.0,
            escape(&format_value(target, chart.percent))
        );
    }
    // A gap (a period without a figure) breaks the line.
    let mut path = String::new();
    let mut pen_down = false;
    for (i, value) in chart.values.iter().enumerate() {
        match value {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{:.1} {:.1} ",
                    if pen_down { "L" } else { "M" },
                    slot_x(i, n),
                    y(*v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
            path.trim_end(),
            chart.colour
        );
    }
    for (i, value) in chart.values.iter().enumerate() {
        let x = slot_x(i, n);
        match value {
            Some(v) => {
                marker(&mut out, chart.marker, x, y(*v), chart.colour);
                let _ = write!(
                    out,
                    r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="8" fill="#000">{}</text>"##,
                    (y(*v) - 6.0).max(TOP - 4.0),
                    escape(&format_value(*v, chart.percent))
                );
            }
            None => {
                let _ = write!(
                    out,
                    r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="8" fill="#555">no data</text>"##,
                    HEIGHT - BOTTOM - 4.0
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

fn format_value(value: f64, percent: bool) -> String {
    if percent {
        format!("{value:.2}%")
    } else {
        format!("{value:.1}")
    }
}

/// Colour and hatching of the bars of a categorical chart: each category
/// differs in pattern as well as in colour.
const BAR_STYLES: [(&str, &str); 5] = [
    (VERMILLION, "solid"),
    (ORANGE, "diagonal"),
    (BLUE, "cross"),
    (GREEN, "dots"),
    (PURPLE, "horizontal"),
];

/// Hatching drawn over the bar `[x, x + w] × [y, y + h]` in `style`: plain
/// strokes clipped by arithmetic, so the page needs no `<pattern>` and no
/// `url(#…)` reference.
fn hatch(out: &mut String, style: &str, x: f64, y: f64, w: f64, h: f64) {
    const GAP: f64 = 5.0;
    let line = |out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64| {
        let _ = write!(
            out,
            r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#000" stroke-width="0.8"/>"##
        );
    };
    match style {
        "horizontal" | "cross" => {
            let mut at = y + GAP;
            while at < y + h {
                line(out, x, at, x + w, at);
                at += GAP;
            }
            if style == "cross" {
                let mut at = x + GAP;
                while at < x + w {
                    line(out, at, y, at, y + h);
                    at += GAP;
                }
            }
        }
        "diagonal" => {
            // Lines of slope -1 (x + y = c), clipped to the bar.
            let mut c = x + y + GAP;
            while c < x + w + y + h {
                let x1 = (c - (y + h)).max(x);
                let x2 = (c - y).min(x + w);
                if x2 > x1 {
                    line(out, x1, c - x1, x2, c - x2);
                }
                c += GAP;
            }
        }
        "dots" => {
            let mut row = y + GAP / 2.0;
            while row < y + h {
                let mut col = x + GAP / 2.0;
                while col < x + w {
                    let _ = write!(
                        out,
                        r##"<circle cx="{col:.1}" cy="{row:.1}" r="0.9" fill="#000"/>"##
                    );
                    col += GAP;
                }
                row += GAP;
            }
        }
        _ => {}
    }
}

/// Renders a bar chart as an inline `<svg>`.
pub fn bar_chart(chart: &BarChart) -> String {
    let mut out = String::new();
    open_svg(&mut out, &chart.id, &chart.title, &chart.description);
    let high = chart
        .values
        .iter()
        .flatten()
        .copied()
        .fold(0.0, f64::max)
        .max(if chart.unit == "incidents" { 4.0 } else { 1.0 });
    let (_, end, step) = nice_axis(0.0, high);
    let step = if chart.unit == "incidents" {
        step.max(1.0).round()
    } else {
        step
    };
    let y = y_axis(&mut out, 0.0, end, step);
    let _ = write!(
        out,
        r##"<text x="8" y="{:.1}" font-size="8.5" fill="#333" transform="rotate(-90 8 {:.1})" text-anchor="middle">{}</text>"##,
        TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
        TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
        escape(&chart.unit)
    );
    x_labels(&mut out, &chart.labels);
    let n = chart.values.len();
    let slot = (WIDTH - LEFT - RIGHT) / n.max(1) as f64;
    let bar = (slot * 0.6).min(36.0);
    for (i, value) in chart.values.iter().enumerate() {
        let x = slot_x(i, n);
        let label = chart.value_labels.get(i).map_or("", String::as_str);
        let Some(v) = value else {
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="8" fill="#555">{}</text>"##,
                HEIGHT - BOTTOM - 4.0,
                escape(label)
            );
            continue;
        };
        let top = y(*v);
        let height = (HEIGHT - BOTTOM - top).max(0.0);
        let (fill, style) = if chart.categorical {
            BAR_STYLES[i % BAR_STYLES.len()]
        } else {
            (BLUE, "solid")
        };
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{top:.1}" width="{bar:.1}" height="{height:.1}" fill="{fill}" stroke="#000" stroke-width="0.6"/>"##,
            x - bar / 2.0,
        );
        hatch(&mut out, style, x - bar / 2.0, top, bar, height);
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="8.5" fill="#000">{}</text>"##,
            top - 3.0,
            escape(label)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_round_and_cover_the_values() {
        assert_eq!(nice_axis(0.0, 7.0), (0.0, 8.0, 2.0));
        assert_eq!(nice_axis(0.0, 100.0), (0.0, 100.0, 50.0));
        let (start, end, step) = nice_axis(99.5, 100.0);
        assert!(start <= 99.5 && end >= 100.0 && step > 0.0 && step <= 0.2);
        let (start, end, _) = nice_axis(5.0, 5.0);
        assert!(start < 5.0 && end > 5.0);
    }

    #[test]
    fn record_text_is_escaped_and_nothing_is_fetched() {
        let chart = BarChart {
            id: "c".into(),
            title: "<script>alert(1)</script>".into(),
            description: "a & b".into(),
            labels: vec!["<P1>".into()],
            values: vec![Some(2.0)],
            value_labels: vec!["2".into()],
            unit: "incidents".into(),
            categorical: true,
        };
        let svg = bar_chart(&chart);
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("&lt;P1&gt;") && svg.contains("a &amp; b"));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("href") && !svg.contains("url("));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn a_line_breaks_at_a_period_without_figures_and_draws_the_objective() {
        let chart = LineChart {
            id: "l".into(),
            title: "Compliance".into(),
            description: "d".into(),
            labels: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            values: vec![Some(90.0), None, Some(95.0), Some(100.0)],
            target: Some(95.0),
            percent: true,
            marker: Marker::Circle,
            colour: BLUE,
        };
        let svg = line_chart(&chart);
        let path = svg.split("<path d=\"").nth(1).unwrap();
        let d = path.split('"').next().unwrap();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 1, "{d}");
        assert!(svg.contains("objective 95.00%"));
        assert!(svg.contains("no data"));
        // Three points and the legend's marker.
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(
            svg.contains("role=\"img\"") && svg.contains("<title id=\"l-t\">Compliance</title>")
        );
    }

    #[test]
    fn hatching_stays_inside_its_bar() {
        for style in ["diagonal", "cross", "horizontal", "dots"] {
            let mut out = String::new();
            hatch(&mut out, style, 10.0, 20.0, 30.0, 40.0);
            assert!(!out.is_empty(), "{style}");
            for number in out
                .split(['"', ' '])
                .filter_map(|t| t.parse::<f64>().ok())
                .filter(|n| *n > 1.0)
            {
                assert!(
                    (10.0..=60.0).contains(&number),
                    "{style}: {number} in {out}"
                );
            }
        }
    }

    #[test]
    fn a_percent_axis_never_passes_100() {
        let chart = LineChart {
            id: "a".into(),
            title: "Availability".into(),
            description: "d".into(),
            labels: vec!["x".into()],
            values: vec![Some(100.0)],
            target: Some(99.9),
            percent: true,
            marker: Marker::Square,
            colour: GREEN,
        };
        let svg = line_chart(&chart);
        assert!(!svg.contains(">100.2<") && !svg.contains(">101<"), "{svg}");
    }
}
