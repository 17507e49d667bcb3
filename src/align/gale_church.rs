//! Length-based alignment (Gale & Church 1993): one dynamic programme over two slices of
//! lengths, used for paragraphs and for the sentences inside an aligned paragraph pair.
//!
//! A pairing of `l_en` English characters with `l_cn` Chinese characters costs
//! `−log(2(1−Φ(|δ|))) − log(prior)` with `δ = (l_en − c·l_cn) / √(l_cn·s²)`; the cheapest
//! sequence of beads covering both slices in order wins. The bead shapes are Gale-Church's
//! six (1-1, 1-0, 0-1, 2-1, 1-2, 2-2) plus k-1 and 1-k for any k ≥ 3, which the real files
//! need: the English re-joins hard-wrapped original lines into one paragraph, or splits a
//! table or name list that the OCR ran together into one line (113 English lines for one
//! original paragraph in the corpus).
//!
//! Two additions to the cost: each unit has its own cost of being left unpaired (the caller
//! makes it cheap for lines that are often dropped), and a bead whose last units end
//! differently (a colon against a full stop) costs [`END_MISMATCH`] more.
//!
//! Up to 2²⁰ lattice cells (a thousand paragraphs a side) the whole lattice is searched and
//! the result is exact. Beyond, the search runs in a band around the diagonal scaled by
//! cumulative length, widened while the path runs along an edge or looks squeezed, so that
//! 100,000 paragraphs a side take a fraction of a second instead of a 10¹⁰-cell table.

/// Prior probability of a 1-1 bead (Gale & Church).
pub const PRIOR_1_1: f64 = 0.89;
/// Prior probability of a 1-0 or 0-1 bead: a unit left unpaired.
pub const PRIOR_SKIP: f64 = 0.0099;
/// Prior probability of a 2-1 or 1-2 bead.
pub const PRIOR_2_1: f64 = 0.089;
/// Prior probability of a 2-2 bead.
pub const PRIOR_2_2: f64 = 0.011;
/// Prior probability of each k-1 or 1-k bead with k ≥ 3. Small: a 3-1 must fit the lengths
/// clearly better than a 2-1 beside a 1-0 to be chosen, but flat in k, because a list of 100
/// lines is no less likely than one of 10 once the original ran it together.
pub const PRIOR_MANY: f64 = 0.005;

/// The cost of leaving a unit unpaired, `−log(PRIOR_SKIP)`.
pub fn skip_cost() -> f64 {
    -PRIOR_SKIP.ln()
}

/// The length model: how many English characters one Chinese character becomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// Expected English characters per Chinese character (`c`).
    pub ratio: f64,
    /// Variance of English characters per Chinese character (`s²`).
    pub variance: f64,
    /// Uncertainty of `ratio` itself (standard deviation, in English characters per
    /// Chinese character). Zero when the ratio was measured on the text being aligned;
    /// when it is only the prior, the document's true ratio may lie anywhere in the range
    /// seen between documents, which adds `(spread·l_cn)²` to the variance. Without it a
    /// long verse paragraph translated at 6 characters per character looks like two
    /// invented English paragraphs rather than one long translation.
    pub spread: f64,
}

impl Model {
    /// `δ` for `l_en` English characters paired with `l_cn` Chinese characters.
    pub fn delta(&self, l_en: f64, l_cn: f64) -> f64 {
        let (diff, var) = self.moments(l_en, l_cn);
        diff / var.sqrt()
    }

    /// The numerator of `δ` and the variance under its square root.
    #[inline]
    fn moments(&self, l_en: f64, l_cn: f64) -> (f64, f64) {
        let l_cn = l_cn.max(1.0);
        let spread = self.spread * l_cn;
        (
            l_en - self.ratio * l_cn,
            l_cn * self.variance + spread * spread,
        )
    }

    /// `−log(2(1−Φ(|δ|)))`: how unlikely the two lengths are as translations of each other.
    pub fn match_cost(&self, l_en: f64, l_cn: f64) -> f64 {
        Model::match_cost_of(self.delta(l_en, l_cn))
    }

    /// `−log(2(1−Φ(|δ|)))` for a given `δ`.
    pub fn match_cost_of(delta: f64) -> f64 {
        -ln_erfc(delta.abs() / std::f64::consts::SQRT_2)
    }

    /// The cost of a bead pairing `a ≥ 1` English units of total length `l_en` with
    /// `b ≥ 1` Chinese units of total length `l_cn`.
    pub fn pair_cost(&self, a: usize, b: usize, l_en: f64, l_cn: f64) -> f64 {
        -prior(a, b).ln() + self.match_cost(l_en, l_cn)
    }
}

/// The prior of an `a`-`b` bead with both sides non-empty.
fn prior(a: usize, b: usize) -> f64 {
    match (a, b) {
        (1, 1) => PRIOR_1_1,
        (2, 1) | (1, 2) => PRIOR_2_1,
        (2, 2) => PRIOR_2_2,
        _ => PRIOR_MANY,
    }
}

/// `ln erfc(x)` for `x ≥ 0`, computed in log space so that far tails stay finite
/// (Numerical Recipes' Chebyshev fit, relative error below 1.2·10⁻⁷ everywhere).
fn ln_erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * x);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t.ln() - x * x + poly
}

/// The cost added to a bead whose last units on the two sides end differently (see
/// [`Units::end`]). Measured on the corpus: 95.6 % of its 547 paired paragraphs end alike
/// (sentence stop with sentence stop, colon with colon, bare heading with bare heading),
/// against about 44 % of arbitrary pairs, a likelihood ratio of e^3.3 for a mismatch. Half
/// of that: the cue only breaks near-ties in length, such as which side of a run-together
/// salutation (`…同志：`, `To Comrade …:`) a line belongs to.
pub const END_MISMATCH: f64 = 1.6;

/// [`END_MISMATCH`] when both end classes are known and differ, else 0.
pub fn end_penalty(en: u8, cn: u8) -> f64 {
    if en != 0 && cn != 0 && en != cn {
        END_MISMATCH
    } else {
        0.0
    }
}

/// One side of the problem: a length and a cost of leaving it unpaired per unit.
#[derive(Debug, Clone, Copy)]
pub struct Units<'a> {
    pub len: &'a [f64],
    /// Cost of a 1-0 (or 0-1) bead for each unit; usually [`skip_cost`], less for units
    /// that are often legitimately left out (a repeated title, a credit line).
    pub skip: &'a [f64],
    /// How each unit ends (a class such as "sentence stop" or "colon"; 0 for unknown). A
    /// bead whose last units on the two sides have different known classes costs
    /// [`END_MISMATCH`] more.
    pub end: &'a [u8],
}

/// One bead of a path: `en` English units and `cn` Chinese units, and what it cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub en: usize,
    pub cn: usize,
    pub cost: f64,
}

/// Below this many lattice cells the whole lattice is searched.
const FULL_LATTICE: usize = 1 << 20;
/// The first half-width of the band, in Chinese units either side of the scaled diagonal.
/// Narrow, since only documents of over about a thousand paragraphs a side are banded and
/// each cell costs 12 bytes: a 100,000-paragraph file must not cost more than its text.
const FIRST_BAND: usize = 4;
/// The band is widened up to this many cells (about 12 bytes each); beyond, the path found
/// in the widest band is kept even if it runs along an edge (a translation that stops
/// half-way through a 100,000-paragraph original).
const MAX_BANDED_CELLS: usize = 1 << 24;
/// Banded, the most units on the longer side of a k-1 or 1-k bead.
const BANDED_MAX_K: usize = 64;
/// On the whole lattice, k is bounded so that cells × k stays below this.
const CHAIN_BUDGET: usize = 1 << 26;

/// The cheapest bead sequence covering `en` and `cn` in order.
pub fn align(en: Units<'_>, cn: Units<'_>, model: &Model) -> Vec<Step> {
    let (n, m) = (en.len.len(), cn.len.len());
    if n == 0 || m == 0 {
        let steps = (0..n).map(|i| Step {
            en: 1,
            cn: 0,
            cost: en.skip[i],
        });
        return steps
            .chain((0..m).map(|j| Step {
                en: 0,
                cn: 1,
                cost: cn.skip[j],
            }))
            .collect();
    }
    let lattice = Lattice::new(en, cn);
    if (n + 1).saturating_mul(m + 1) <= FULL_LATTICE {
        return lattice.search(model, None).0;
    }
    // Widen the band while the path runs along an edge, or while it looks strained (dense
    // merges and gaps: a path squeezed through the band instead of the cheaper one beside
    // it, as after a long untranslated stretch) and a wider band finds a cheaper path.
    let mut width = FIRST_BAND;
    let (mut steps, mut clear) = lattice.search(model, Some(width));
    loop {
        let wider = (n + 1).saturating_mul(4 * width + 1);
        if width > m || wider > MAX_BANDED_CELLS || (clear && !strained(&steps)) {
            return steps;
        }
        let (wider_steps, wider_clear) = lattice.search(model, Some(2 * width));
        let cost = |s: &[Step]| s.iter().map(|s| s.cost).sum::<f64>();
        if clear && cost(&wider_steps) >= cost(&steps) - 1e-9 {
            return steps;
        }
        (steps, clear, width) = (wider_steps, wider_clear, 2 * width);
    }
}

/// Whether some 16 consecutive beads hold 4 or more that are not 1-1.
fn strained(steps: &[Step]) -> bool {
    const WINDOW: usize = 16;
    const DENSE: usize = 4;
    let odd: Vec<usize> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| (s.en, s.cn) != (1, 1))
        .map(|(k, _)| k)
        .collect();
    odd.windows(DENSE).any(|w| w[DENSE - 1] - w[0] < WINDOW)
}

/// The prefix sums and band geometry shared by the passes of one alignment.
struct Lattice<'a> {
    en: Units<'a>,
    cn: Units<'a>,
    en_sum: Vec<f64>,
    cn_sum: Vec<f64>,
    /// Prefix sums of the skip costs: what leaving a run of units unpaired costs.
    en_skip_sum: Vec<f64>,
    cn_skip_sum: Vec<f64>,
    /// For row i (English units consumed), the Chinese position the scaled diagonal
    /// reaches: the first j whose cumulative share of the Chinese text is at least the
    /// English share at i.
    centre: Vec<usize>,
}

impl<'a> Lattice<'a> {
    fn new(en: Units<'a>, cn: Units<'a>) -> Lattice<'a> {
        let prefix = |len: &[f64]| {
            let mut sums = Vec::with_capacity(len.len() + 1);
            let mut acc = 0.0;
            sums.push(0.0);
            for l in len {
                acc += l;
                sums.push(acc);
            }
            sums
        };
        let (en_sum, cn_sum) = (prefix(en.len), prefix(cn.len));
        let (en_skip_sum, cn_skip_sum) = (prefix(en.skip), prefix(cn.skip));
        let (n, m) = (en.len.len(), cn.len.len());
        let (en_total, cn_total) = (en_sum[n].max(1e-9), cn_sum[m].max(1e-9));
        let mut centre = Vec::with_capacity(n + 2);
        let mut j = 0;
        for e in &en_sum {
            let share = e / en_total;
            while j < m && cn_sum[j] / cn_total < share {
                j += 1;
            }
            centre.push(j);
        }
        centre[n] = m;
        centre.push(m);
        Lattice {
            en,
            cn,
            en_sum,
            cn_sum,
            en_skip_sum,
            cn_skip_sum,
            centre,
        }
    }

    /// The Chinese range searched in row `i`.
    fn row(&self, i: usize, width: Option<usize>) -> (usize, usize) {
        let m = self.cn.len.len();
        match width {
            None => (0, m),
            Some(w) => (
                self.centre[i].saturating_sub(w),
                (self.centre[i + 1] + w).min(m),
            ),
        }
    }

    /// A cost that the cheapest path does not exceed: the cheapest of the complete paths
    /// that pair paragraph k with paragraph k and leave the surplus of the longer side
    /// unpaired in one run, wherever the run stands (at the start, at the end or where a
    /// paragraph was dropped in the middle), costed as the search costs beads, with a
    /// margin for rounding. The tighter the bound, the more cells the search leaves dead.
    fn upper_bound(&self, model: &Model) -> f64 {
        let (n, m) = (self.en.len.len(), self.cn.len.len());
        let both = n.min(m);
        // The surplus: English units (de) or Chinese units (dc) with no counterpart.
        let (de, dc) = (n - both, m - both);
        let p11 = -PRIOR_1_1.ln();
        let pair = |i: usize, j: usize| -> f64 {
            end_penalty(self.en.end[i], self.cn.end[j])
                + p11
                + model.match_cost(self.en.len[i], self.cn.len[j])
        };
        // after[t]: the pairs from t on, past the run (unit t + de with unit t + dc).
        let mut after = vec![0.0; both + 1];
        for t in (0..both).rev() {
            after[t] = after[t + 1] + pair(t + de, t + dc);
        }
        // The run at t: units t..t + de (English) and t..t + dc (Chinese) unpaired.
        let run = |t: usize| {
            (self.en_skip_sum[t + de] - self.en_skip_sum[t])
                + (self.cn_skip_sum[t + dc] - self.cn_skip_sum[t])
        };
        let mut before = 0.0; // the pairs before t, unit t' with unit t'
        let mut bound = f64::INFINITY;
        for (t, rest) in after.iter().enumerate() {
            bound = bound.min(before + run(t) + rest);
            if t < both {
                before += pair(t, t);
            }
        }
        bound + 1e-6 * (1.0 + bound.abs())
    }

    /// The best path within the band of half-width `width` (the whole lattice for `None`),
    /// and whether it kept clear of the band's edges (so a wider band would not change it).
    fn search(&self, model: &Model, width: Option<usize>) -> (Vec<Step>, bool) {
        let limit = match width {
            None => self.upper_bound(model),
            Some(_) => f64::INFINITY,
        };
        self.search_below(model, width, limit)
    }

    /// [`Lattice::search`] with cells costing more than `limit` dead (see there).
    fn search_below(&self, model: &Model, width: Option<usize>, limit: f64) -> (Vec<Step>, bool) {
        let (n, m) = (self.en.len.len(), self.cn.len.len());
        let rows: Vec<(usize, usize)> = (0..=n).map(|i| self.row(i, width)).collect();
        let mut offset = Vec::with_capacity(n + 2);
        let mut total = 0usize;
        for &(lo, hi) in &rows {
            offset.push(total);
            total += hi - lo + 1;
        }
        let mut cost = vec![f64::INFINITY; total];
        // The bead that ends in each cell: English and Chinese units it takes.
        let mut back = vec![(0u16, 0u16); total];
        // On the whole lattice every cell is there: no band to look up.
        let full = width.is_none();
        let at = |i: usize, j: usize| -> Option<usize> {
            if full {
                return Some(i * (m + 1) + j);
            }
            let (lo, hi) = rows[i];
            (lo..=hi).contains(&j).then(|| offset[i] + j - lo)
        };
        cost[0] = 0.0;
        let (en_sum, cn_sum) = (&self.en_sum, &self.cn_sum);
        let c = model.ratio;
        let [p11, p21, p22, many] = [PRIOR_1_1, PRIOR_2_1, PRIOR_2_2, PRIOR_MANY].map(|p| -p.ln());
        // k in k-1 and 1-k beads: bounded when banded, and on the whole lattice so that
        // the chains cannot cost more than a fixed budget (a hostile list of a hundred
        // thousand short lines against one long paragraph).
        let max_k = match width {
            Some(_) => BANDED_MAX_K,
            None => (CHAIN_BUDGET / total.max(1)).clamp(BANDED_MAX_K, u16::MAX as usize),
        };
        // On the whole lattice, a cell that costs more than some complete path cannot be on
        // the cheapest one (no bead costs less than nothing), nor can it decide any cell
        // that is: such cells are marked dead (infinite), their beads are not weighed, and
        // a chain of beads whose every start is dead is not walked. The cells of the
        // cheapest path and their costs come out exactly as without it.
        // Per column, the first row with a live cell; per row, the first live column.
        let mut column_live = vec![usize::MAX; m + 1];
        let mut row_live = vec![usize::MAX; n + 1];
        column_live[0] = 0;
        row_live[0] = 0;
        for i in 0..=n {
            let (lo, hi) = rows[i];
            for j in lo..=hi {
                if i == 0 && j == 0 {
                    continue;
                }
                // A cell whose every start of a bead is dead is dead: nothing to weigh.
                let k_chain = j >= 1 && i >= 3 && column_live[j - 1] <= i - 3;
                let one_chain = i >= 1 && j >= 3 && row_live[i - 1] <= j - 3;
                if full && !k_chain && !one_chain {
                    let live = |a: usize, b: usize| {
                        a <= i && b <= j && cost[(i - a) * (m + 1) + j - b].is_finite()
                    };
                    let near = [(1, 0), (0, 1), (1, 1), (2, 1), (1, 2), (2, 2)];
                    if !near.iter().any(|&(a, b)| live(a, b)) {
                        continue;
                    }
                }
                let mut best = f64::INFINITY;
                let mut step = (0u16, 0u16);
                // Leaving a unit unpaired first: it costs no logarithm, and a cell far from
                // the path is then often settled without computing any match.
                if i >= 1 {
                    if let Some(k) = at(i - 1, j) {
                        best = cost[k] + self.en.skip[i - 1];
                        step = (1, 0);
                    }
                }
                if j >= 1 {
                    if let Some(k) = at(i, j - 1) {
                        let c = cost[k] + self.cn.skip[j - 1];
                        if c < best {
                            best = c;
                            step = (0, 1);
                        }
                    }
                }
                // Every pair bead ending here ends with units i−1 and j−1.
                let ends = if i >= 1 && j >= 1 {
                    end_penalty(self.en.end[i - 1], self.cn.end[j - 1])
                } else {
                    0.0
                };
                // Offers the bead of `a` English and `b` Chinese units ending here, whose
                // fixed part (prior, ends) costs `fixed`, from predecessor cell `k`. The
                // predecessor is checked first, then the lower bound δ²/2 of the match
                // cost (2(1−Φ(x)) ≤ e^(−x²/2)); the logarithm is only taken for a bead
                // that may win. Returns the bead's cost or a lower bound of it.
                let mut offer = |k: usize, a: usize, b: usize, fixed: f64, best: &mut f64| {
                    let base = cost[k];
                    if base + fixed >= *best {
                        return fixed;
                    }
                    let (diff, var) =
                        model.moments(en_sum[i] - en_sum[i - a], cn_sum[j] - cn_sum[j - b]);
                    let d2 = diff * diff / var;
                    let lower = fixed + 0.5 * d2;
                    if base + lower >= *best {
                        return lower;
                    }
                    let bead = fixed + Model::match_cost_of(d2.sqrt());
                    if base + bead < *best {
                        *best = base + bead;
                        step = (a as u16, b as u16);
                    }
                    bead
                };
                // 1-1 first among the pairs: on equal cost the plainest explanation wins.
                for (a, b, prior) in [(1, 1, p11), (2, 1, p21), (1, 2, p21), (2, 2, p22)] {
                    if a <= i && b <= j {
                        if let Some(k) = at(i - a, j - b) {
                            offer(k, a, b, ends + prior, &mut best);
                        }
                    }
                }
                // k-1: k ≥ 3 English units for one Chinese unit. Past the point where
                // the English outweighs the Chinese every further unit raises δ. A bead
                // that costs more than the 2-1 bead over its last two units plus leaving
                // the others unpaired is never chosen (that path from the same cell is
                // cheaper); past that point the match cost grows faster than the units'
                // skip costs, so no longer bead is either: stop.
                let two = |a: usize, b: usize| {
                    ends + p21
                        + model.match_cost(en_sum[i] - en_sum[i - a], cn_sum[j] - cn_sum[j - b])
                };
                // Only when some start of a k-1 bead, in column j−1 at row i−3 or above,
                // is live.
                if k_chain {
                    let l_cn = cn_sum[j] - cn_sum[j - 1];
                    let (_, var) = model.moments(0.0, l_cn);
                    let mut two_one = None;
                    let mut a = 3;
                    while a <= i.min(max_k) {
                        let Some(k) = at(i - a, j - 1) else { break };
                        offer(k, a, 1, ends + many, &mut best);
                        let diff = en_sum[i] - en_sum[i - a] - c * l_cn.max(1.0);
                        if diff > 0.0 {
                            // Cheapest test first: leaving every unit unpaired.
                            let bead = ends + many + 0.5 * diff * diff / var;
                            let rest = self.en_skip_sum[i - 2] - self.en_skip_sum[i - a];
                            let unpaired =
                                self.en_skip_sum[i] - self.en_skip_sum[i - 2] + self.cn.skip[j - 1];
                            if bead >= unpaired + rest
                                || bead >= *two_one.get_or_insert_with(|| two(2, 1)) + rest
                            {
                                break;
                            }
                        }
                        a += 1;
                    }
                }
                // 1-k likewise.
                if one_chain {
                    let l_en = en_sum[i] - en_sum[i - 1];
                    let mut one_two = None;
                    let mut b = 3;
                    while b <= j.min(max_k) {
                        let Some(k) = at(i - 1, j - b) else { break };
                        offer(k, 1, b, ends + many, &mut best);
                        let (diff, var) = model.moments(l_en, cn_sum[j] - cn_sum[j - b]);
                        if diff < 0.0 {
                            let bead = ends + many + 0.5 * diff * diff / var;
                            let rest = self.cn_skip_sum[j - 2] - self.cn_skip_sum[j - b];
                            let unpaired =
                                self.cn_skip_sum[j] - self.cn_skip_sum[j - 2] + self.en.skip[i - 1];
                            if bead >= unpaired + rest
                                || bead >= *one_two.get_or_insert_with(|| two(1, 2)) + rest
                            {
                                break;
                            }
                        }
                        b += 1;
                    }
                }
                let k = offset[i] + j - lo;
                if best <= limit {
                    cost[k] = best;
                    back[k] = step;
                    column_live[j] = column_live[j].min(i);
                    row_live[i] = row_live[i].min(j);
                }
            }
        }
        // Walk back from the end, noting whether the path ran along a band edge that is
        // not also the lattice's edge.
        let margin = width.map_or(0, |w| (w / 4).max(1));
        let mut clear = true;
        let mut steps = Vec::new();
        let (mut i, mut j) = (n, m);
        while i > 0 || j > 0 {
            let k = at(i, j).expect("the path stays in the band");
            if width.is_some() {
                let (lo, hi) = rows[i];
                if (lo > 0 && j < lo + margin) || (hi < m && j + margin > hi) {
                    clear = false;
                }
            }
            let (a, b) = (back[k].0 as usize, back[k].1 as usize);
            let before = at(i - a, j - b).expect("the path stays in the band");
            steps.push(Step {
                en: a,
                cn: b,
                cost: cost[k] - cost[before],
            });
            i -= a;
            j -= b;
        }
        steps.reverse();
        (steps, clear)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: Model = Model {
        ratio: 4.0,
        variance: 48.0,
        spread: 0.0,
    };

    fn run(en: &[f64], cn: &[f64]) -> Vec<(usize, usize)> {
        let (se, sc) = (vec![skip_cost(); en.len()], vec![skip_cost(); cn.len()]);
        let (ee, ce) = (vec![0; en.len()], vec![0; cn.len()]);
        align(
            Units {
                len: en,
                skip: &se,
                end: &ee,
            },
            Units {
                len: cn,
                skip: &sc,
                end: &ce,
            },
            &MODEL,
        )
        .into_iter()
        .map(|s| (s.en, s.cn))
        .collect()
    }

    #[test]
    fn dead_cells_change_nothing() {
        // Random lattices, with repeated lengths (ties between paths) and cheap skips, are
        // searched with and without the dead cells: the same steps and costs, exactly.
        let mut x: u64 = 7;
        let mut next = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        for case in 0..300 {
            let (n, m) = (1 + next(30) as usize, 1 + next(30) as usize);
            let repeat = case % 3 == 0;
            let mut len = |k: usize| {
                if repeat {
                    [40.0, 160.0, 400.0][k % 3]
                } else {
                    5.0 + next(600) as f64
                }
            };
            let cn: Vec<f64> = (0..m).map(&mut len).collect();
            let en: Vec<f64> = (0..n)
                .map(|k| cn.get(k).map_or(100.0, |l| l * 4.0) + len(k) / 10.0)
                .collect();
            let skip = |k: u64| if k == 0 { 1.2 } else { skip_cost() };
            let se: Vec<f64> = (0..n).map(|_| skip(next(4))).collect();
            let sc: Vec<f64> = (0..m).map(|_| skip(next(4))).collect();
            let ee: Vec<u8> = (0..n).map(|_| next(3) as u8).collect();
            let ce: Vec<u8> = (0..m).map(|_| next(3) as u8).collect();
            let lattice = Lattice::new(
                Units {
                    len: &en,
                    skip: &se,
                    end: &ee,
                },
                Units {
                    len: &cn,
                    skip: &sc,
                    end: &ce,
                },
            );
            for model in [
                MODEL,
                Model {
                    spread: 0.6,
                    ..MODEL
                },
            ] {
                let pruned = lattice.search(&model, None);
                let whole = lattice.search_below(&model, None, f64::INFINITY);
                assert_eq!(pruned, whole, "case {case}");
            }
        }
    }

    #[test]
    fn erfc_in_log_space() {
        assert!(ln_erfc(0.0).abs() < 1e-6);
        // erfc(1) = 0.157299207; erfc(3) = 2.20904970e-5
        assert!((ln_erfc(1.0) - 0.157_299_207f64.ln()).abs() < 1e-6);
        assert!((ln_erfc(3.0) - 2.209_049_70e-5f64.ln()).abs() < 1e-6);
        // Far tails stay finite and grow like x².
        assert!(ln_erfc(40.0).is_finite() && ln_erfc(40.0) < -1600.0);
    }

    #[test]
    fn one_to_one_when_lengths_match() {
        assert_eq!(
            run(&[400.0, 120.0, 800.0], &[100.0, 30.0, 200.0]),
            [(1, 1), (1, 1), (1, 1)]
        );
    }

    #[test]
    fn finds_deletion_merge_and_split() {
        // Original paragraph 2 (of length 150) has no translation.
        assert_eq!(
            run(&[400.0, 800.0], &[100.0, 150.0, 200.0]),
            [(1, 1), (0, 1), (1, 1)]
        );
        // English 2 translates original 2 and 3.
        assert_eq!(
            run(&[400.0, 1200.0, 200.0], &[100.0, 150.0, 150.0, 50.0]),
            [(1, 1), (1, 2), (1, 1)]
        );
        // Original 2 split into two English paragraphs.
        assert_eq!(
            run(&[400.0, 600.0, 600.0, 200.0], &[100.0, 300.0, 50.0]),
            [(1, 1), (2, 1), (1, 1)]
        );
    }

    #[test]
    fn many_to_one_beads() {
        let mut en = vec![200.0];
        en.extend(std::iter::repeat_n(80.0, 40));
        en.push(300.0);
        assert_eq!(run(&en, &[50.0, 800.0, 75.0]), [(1, 1), (40, 1), (1, 1)]);
        // Four hard-wrapped original lines joined into one English paragraph.
        assert_eq!(
            run(
                &[400.0, 800.0, 200.0],
                &[100.0, 60.0, 50.0, 40.0, 50.0, 50.0]
            ),
            [(1, 1), (1, 4), (1, 1)]
        );
    }

    /// `n` pseudo-random lengths in 100..300 (a linear congruential generator: no period
    /// short enough to make two stretches look alike; and never so short beside a long one
    /// that a gap beside it is better explained as a merge).
    fn lengths(n: usize) -> Vec<f64> {
        let mut x: u64 = 12345;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                100.0 + ((x >> 33) % 200) as f64
            })
            .collect()
    }

    #[test]
    fn banded_search_matches_the_full_lattice() {
        // Enough units that the band is used; one deletion in the middle.
        let cn = lengths(1500);
        let mut en: Vec<f64> = cn.iter().map(|l| l * 4.0).collect();
        en.remove(700);
        let steps = run(&en, &cn);
        let at: Vec<_> = steps.iter().filter(|s| (s.0, s.1) != (1, 1)).collect();
        assert_eq!(at, [&(0, 1)]);
        let before: usize = steps
            .iter()
            .take_while(|s| **s != (0, 1))
            .map(|s| s.1)
            .sum();
        assert_eq!(before, 700);
    }

    #[test]
    fn band_widens_for_a_long_gap() {
        // Sixty consecutive originals untranslated in the middle: the path leaves the
        // length-scaled diagonal by about thirty units, far outside the first band. The
        // banded search must find what the whole lattice finds.
        let cn = lengths(1500);
        let mut en: Vec<f64> = cn.iter().map(|l| l * 4.0).collect();
        en.drain(700..760);
        let (se, sc) = (vec![skip_cost(); en.len()], vec![skip_cost(); cn.len()]);
        let (ee, ce) = (vec![0; en.len()], vec![0; cn.len()]);
        let (en, cn) = (
            Units {
                len: &en,
                skip: &se,
                end: &ee,
            },
            Units {
                len: &cn,
                skip: &sc,
                end: &ce,
            },
        );
        let banded = align(en, cn, &MODEL);
        let (whole, _) = Lattice::new(en, cn).search(&MODEL, None);
        let cost = |s: &[Step]| s.iter().map(|s| s.cost).sum::<f64>();
        assert!((cost(&banded) - cost(&whole)).abs() < 1e-6);
        // Up to the gap, and from some way after it, the plain diagonal.
        assert!(banded[..680].iter().all(|s| (s.en, s.cn) == (1, 1)));
        assert!(banded[banded.len() - 600..]
            .iter()
            .all(|s| (s.en, s.cn) == (1, 1)));
    }

    #[test]
    fn end_classes_break_ties() {
        // "To Comrade X:" belongs with the original paragraph that ends in a colon.
        let model = MODEL;
        let units =
            |len: &[f64], end: &[u8]| (len.to_vec(), vec![skip_cost(); len.len()], end.to_vec());
        let (el, es, ee) = units(&[400.0, 40.0, 400.0], &[2, 1, 2]);
        let (cl, cs, ce) = units(&[100.0, 110.0], &[1, 2]);
        let steps: Vec<_> = align(
            Units {
                len: &el,
                skip: &es,
                end: &ee,
            },
            Units {
                len: &cl,
                skip: &cs,
                end: &ce,
            },
            &model,
        )
        .into_iter()
        .map(|s| (s.en, s.cn))
        .collect();
        assert_eq!(steps, [(2, 1), (1, 1)]);
        // Without the classes, length alone puts the short line with the next paragraph.
        let none = [0u8; 3];
        let steps: Vec<_> = align(
            Units {
                len: &el,
                skip: &es,
                end: &none,
            },
            Units {
                len: &cl,
                skip: &cs,
                end: &none[..2],
            },
            &model,
        )
        .into_iter()
        .map(|s| (s.en, s.cn))
        .collect();
        assert_eq!(steps, [(1, 1), (2, 1)]);
    }

    #[test]
    fn spread_widens_the_tolerance_for_long_units() {
        let loose = Model {
            spread: 0.6,
            ..MODEL
        };
        assert!(loose.match_cost(1600.0, 263.0) < MODEL.match_cost(1600.0, 263.0) / 2.0);
        // Short units barely notice it.
        assert!((loose.match_cost(30.0, 5.0) - MODEL.match_cost(30.0, 5.0)).abs() < 0.1);
    }
}
