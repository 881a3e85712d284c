/**
 * Comparison models for the benchmark, each replayed through the same sequential loop as the
 * engine: `observe` returns P(side a wins) before learning the result. Doubles sides are the
 * partners' mean rating, as in the engine. These are reimplementations (the npm packages are not
 * dependencies): the reference FiveThirtyEight Elo of ref_elo.py, Glicko-2 updated one match at a
 * time, and an OpenSkill-style Weng-Lin Bradley-Terry model with a calibrated win probability.
 */

/** A sequential rating model as the benchmark drives it. */
export interface SequentialModel {
  readonly name: string;
  observe(
    a1: string,
    a2: string,
    b1: string,
    b2: string,
    day: number,
    aWon: boolean,
    gamesA: number,
    gamesB: number,
  ): number;
}

/** ref_elo.py: start 1500, K = 250 / (matches + 5)^0.4, logistic on 400 points. */
export class RefElo implements SequentialModel {
  readonly name = 'Reference Elo (ref_elo.py)';
  private readonly rating = new Map<string, number>();
  private readonly played = new Map<string, number>();

  observe(a1: string, a2: string, b1: string, b2: string, _day: number, aWon: boolean): number {
    const ea = this.side(a1, a2);
    const eb = this.side(b1, b2);
    const p = 1 / (1 + 10 ** ((eb - ea) / 400));
    const y = aWon ? 1 : 0;
    for (const id of [a1, a2]) if (id) this.learn(id, y - p);
    for (const id of [b1, b2]) if (id) this.learn(id, p - y);
    return p;
  }

  private side(x: string, y: string): number {
    const r = (id: string) => this.rating.get(id) ?? 1500;
    return y ? (r(x) + r(y)) / 2 : r(x);
  }

  private learn(id: string, surprise: number): void {
    const m = this.played.get(id) ?? 0;
    this.rating.set(id, (this.rating.get(id) ?? 1500) + (250 / (m + 5) ** 0.4) * surprise);
    this.played.set(id, m + 1);
  }
}

const GLICKO_SCALE = 173.7178;

/**
 * Glicko-2 (Glickman 2012) with one rating period per week: idle weeks add volatility² to φ²,
 * and each match is its own update for both players, from their pre-match values.
 */
export class Glicko2 implements SequentialModel {
  readonly name = 'Glicko-2 (weekly periods)';
  private readonly s = new Map<string, { mu: number; phi: number; sigma: number; day: number }>();
  constructor(
    private readonly tau = 0.5,
    private readonly phi0 = 350 / GLICKO_SCALE,
    private readonly sigma0 = 0.06,
  ) {}

  observe(a1: string, a2: string, b1: string, b2: string, day: number, aWon: boolean): number {
    const pa = [a1, a2].filter(Boolean).map((id) => this.get(id, day));
    const pb = [b1, b2].filter(Boolean).map((id) => this.get(id, day));
    const mean = (xs: { mu: number }[]) => xs.reduce((s, x) => s + x.mu, 0) / xs.length;
    const rms = (xs: { phi: number }[]) =>
      Math.sqrt(xs.reduce((s, x) => s + x.phi ** 2, 0) / xs.length);
    const ma = mean(pa);
    const mb = mean(pb);
    const p = 1 / (1 + Math.exp(-g(Math.hypot(rms(pa), rms(pb))) * (ma - mb)));
    const y = aWon ? 1 : 0;
    for (const x of pa) this.update(x, mb, rms(pb), y);
    for (const x of pb) this.update(x, ma, rms(pa), 1 - y);
    for (const [id, x] of [
      [a1, pa[0]],
      [a2, pa[1]],
      [b1, pb[0]],
      [b2, pb[1]],
    ] as const) {
      if (id && x) this.s.set(id, { ...x, day });
    }
    return p;
  }

  private get(id: string, day: number) {
    const x = this.s.get(id);
    if (!x) return { mu: 0, phi: this.phi0, sigma: this.sigma0, day };
    const weeks = Math.max(0, (day - x.day) / 7);
    const phi = Math.min(Math.sqrt(x.phi ** 2 + weeks * x.sigma ** 2), this.phi0);
    return { ...x, phi };
  }

  private update(
    x: { mu: number; phi: number; sigma: number },
    muJ: number,
    phiJ: number,
    s: number,
  ) {
    const gj = g(phiJ);
    const e = 1 / (1 + Math.exp(-gj * (x.mu - muJ)));
    const v = 1 / (gj * gj * e * (1 - e));
    const delta = v * gj * (s - e);
    const a = Math.log(x.sigma ** 2);
    const f = (t: number) => {
      const et = Math.exp(t);
      const d = x.phi ** 2 + v + et;
      return (et * (delta ** 2 - x.phi ** 2 - v - et)) / (2 * d * d) - (t - a) / this.tau ** 2;
    };
    let A = a;
    let B: number;
    if (delta ** 2 > x.phi ** 2 + v) B = Math.log(delta ** 2 - x.phi ** 2 - v);
    else {
      let k = 1;
      while (f(a - k * this.tau) < 0) k++;
      B = a - k * this.tau;
    }
    let fA = f(A);
    let fB = f(B);
    for (let it = 0; it < 50 && Math.abs(B - A) > 1e-6; it++) {
      const C = A + ((A - B) * fA) / (fB - fA);
      const fC = f(C);
      if (fC * fB <= 0) {
        A = B;
        fA = fB;
      } else fA /= 2;
      B = C;
      fB = fC;
    }
    const sigma = Math.exp(A / 2);
    const phiStar = Math.sqrt(x.phi ** 2 + sigma ** 2);
    const phi = 1 / Math.sqrt(1 / phiStar ** 2 + 1 / v);
    x.mu += phi ** 2 * gj * (s - e);
    x.phi = phi;
    x.sigma = sigma;
  }
}

function g(phi: number): number {
  return 1 / Math.sqrt(1 + (3 * phi * phi) / (Math.PI * Math.PI));
}

/**
 * OpenSkill's default model (Weng & Lin 2011, Bradley-Terry full pairing: μ 25, σ 25/3, β 25/6,
 * τ 25/300 added per match), with the win probability from the normal approximation
 * Φ((μa − μb) / √(2β² + σa² + σb²)) rather than the package's default predictWin.
 */
export class WengLin implements SequentialModel {
  readonly name = 'OpenSkill-style Weng-Lin BT';
  private readonly s = new Map<string, { mu: number; sigma: number }>();
  private readonly beta = 25 / 6;
  private readonly tau = 25 / 300;

  observe(a1: string, a2: string, b1: string, b2: string, _day: number, aWon: boolean): number {
    const pa = [a1, a2].filter(Boolean).map((id) => this.get(id));
    const pb = [b1, b2].filter(Boolean).map((id) => this.get(id));
    const muA = pa.reduce((s, x) => s + x.mu, 0);
    const muB = pb.reduce((s, x) => s + x.mu, 0);
    const s2A = pa.reduce((s, x) => s + x.sigma ** 2, 0);
    const s2B = pb.reduce((s, x) => s + x.sigma ** 2, 0);
    const nA = pa.length;
    const nB = pb.length;
    const p = normalCdf(
      (muA / nA - muB / nB) / Math.sqrt(2 * this.beta ** 2 + s2A / nA + s2B / nB),
    );
    const c = Math.sqrt(s2A + s2B + 2 * this.beta ** 2);
    const pA = 1 / (1 + Math.exp((muB - muA) / c));
    const y = aWon ? 1 : 0;
    const gamma = (s2: number) => Math.sqrt(s2) / c;
    const omegaA = (s2A / c) * (y - pA);
    const deltaA = ((gamma(s2A) * s2A) / (c * c)) * pA * (1 - pA);
    const omegaB = (s2B / c) * (1 - y - (1 - pA));
    const deltaB = ((gamma(s2B) * s2B) / (c * c)) * pA * (1 - pA);
    for (const [xs, s2, omega, delta] of [
      [pa, s2A, omegaA, deltaA],
      [pb, s2B, omegaB, deltaB],
    ] as const) {
      for (const x of xs) {
        const share = x.sigma ** 2 / s2;
        x.mu += share * omega;
        x.sigma *= Math.sqrt(Math.max(1 - share * delta, 1e-4));
      }
    }
    [a1, a2, b1, b2].forEach((id, k) => {
      const x = k < 2 ? pa[k] : pb[k - 2];
      if (id && x) this.s.set(id, x);
    });
    return p;
  }

  private get(id: string): { mu: number; sigma: number } {
    const x = this.s.get(id);
    const mu = x ? x.mu : 25;
    const sigma = x ? x.sigma : 25 / 3;
    return { mu, sigma: Math.sqrt(sigma ** 2 + this.tau ** 2) };
  }
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
