package runtime

import (
	"fmt"
	"math"
)

// holtWintersReducer forecasts with the damped Holt-Winters method the
// way InfluxDB 1.1's reducer does: the series is laid on an interval grid
// (NaN for gaps), initial level/trend/seasonals are estimated, the four
// smoothing parameters are fitted by Nelder-Mead from a 2x2x2x2 grid of
// starting guesses, and the series is run forward h steps. Every
// floating-point operation is done in the reference's order, and the
// parameter vectors are updated in place exactly where the reference's
// are (the objective function clamps them and writes the seasonals back
// into them), because the fitted result depends on it bit for bit.
type holtWintersReducer struct {
	h, m         int
	seasonal     bool
	withFit      bool
	interval     int64
	halfInterval int64

	times  []int64
	values []float64
	y      []float64
}

const (
	hwWeight     = 0.5    // weight of the initial level and trend guesses
	hwEpsilon    = 1.0e-4 // convergence bound of the optimiser
	hwGuessLower = 0.3    // the grid of starting guesses: lower, upper, step
	hwGuessUpper = 1.0
	hwGuessStep  = 0.4

	hwMaxHorizon = 1 << 26 // more forecast points than a task can hold
)

func newHoltWintersReducer(h, m int64, interval int64, withFit bool) *holtWintersReducer {
	return &holtWintersReducer{
		h: int(h), m: int(m), seasonal: m >= 2, withFit: withFit,
		interval: interval, halfInterval: interval / 2,
	}
}

func (r *holtWintersReducer) aggregate(p qlPoint) {
	v := p.Value.F
	if p.Value.Kind == KindInt {
		v = float64(p.Value.I)
	}
	r.times = append(r.times, p.Time)
	r.values = append(r.values, v)
}

func (r *holtWintersReducer) reset() { r.times, r.values = r.times[:0], r.values[:0] }

// roundTime rounds t to the nearest multiple of the interval (halves
// round down), without overflowing.
func (r *holtWintersReducer) roundTime(t int64) int64 {
	if t%r.interval > r.halfInterval {
		return (t/r.interval + 1) * r.interval
	}
	return (t / r.interval) * r.interval
}

func (r *holtWintersReducer) emit() (out []qlPoint, err error) {
	// Where the reference indexes out of range or divides by zero, the
	// reference task dies; report it as the task error instead.
	defer func() {
		if e := recover(); e != nil {
			out, err = nil, fmt.Errorf("holtWinters: %v", e)
		}
	}()
	n := len(r.times)
	if n < 2 || r.seasonal && n < r.m || r.h <= 0 {
		return nil, nil
	}
	if r.interval == 0 {
		return nil, fmt.Errorf("holtWinters: interval must not be 0")
	}
	if r.h > hwMaxHorizon {
		// The reference would try to allocate the whole horizon and die.
		return nil, fmt.Errorf("holtWinters: horizon %d is too large", r.h)
	}
	start, stop := r.roundTime(r.times[0]), r.roundTime(r.times[n-1])
	if (stop-start)/r.interval <= 0 {
		return nil, nil
	}
	// The series on the grid: later points in a filled bucket are
	// dropped, empty buckets are NaN.
	r.y = append(r.y[:0], r.values[0])
	t := start
	for i := 1; i < n; i++ {
		rounded := r.roundTime(r.times[i])
		if rounded <= t {
			continue
		}
		t += r.interval
		for rounded != t {
			r.y = append(r.y, math.NaN())
			t += r.interval
		}
		r.y = append(r.y, r.values[i])
	}

	m := r.m
	params := r.initialParams(m)

	minSSE := math.Inf(1)
	var best []float64
	for alpha := hwGuessLower; alpha < hwGuessUpper; alpha += hwGuessStep {
		for beta := hwGuessLower; beta < hwGuessUpper; beta += hwGuessStep {
			for gamma := hwGuessLower; gamma < hwGuessUpper; gamma += hwGuessStep {
				for phi := hwGuessLower; phi < hwGuessUpper; phi += hwGuessStep {
					params[0], params[1], params[2], params[3] = alpha, beta, gamma, phi
					sse, fitted := nelderMead(r.sse, params, hwEpsilon, 1)
					if sse < minSSE || best == nil {
						minSSE, best = sse, fitted
					}
				}
			}
		}
	}

	forecast := r.forecast(r.h, best)
	if r.withFit {
		first := r.times[0]
		out = make([]qlPoint, 0, len(forecast))
		for i, v := range forecast {
			if !math.IsNaN(v) {
				out = append(out, qlPoint{Time: first + r.interval*int64(i), Value: Float(v)})
			}
		}
	} else {
		last := r.times[n-1]
		out = make([]qlPoint, 0, r.h)
		for i, v := range forecast[len(r.y):] {
			if !math.IsNaN(v) {
				out = append(out, qlPoint{Time: last + r.interval*(int64(i)+1), Value: Float(v)})
			}
		}
	}
	return out, nil
}

// initialParams lays out [alpha, beta, gamma, phi, level, trend,
// seasonals...] with the estimated level, trend and seasonals (missing
// values are skipped in the estimates).
func (r *holtWintersReducer) initialParams(m int) []float64 {
	y := r.y
	l0 := 0.0
	if r.seasonal {
		for i := 0; i < m; i++ {
			if !math.IsNaN(y[i]) {
				l0 += (1 / float64(m)) * y[i]
			}
		}
	} else {
		l0 += hwWeight * y[0]
	}

	b0 := 0.0
	if r.seasonal {
		for i := 0; i < m && m+i < len(y); i++ {
			if !math.IsNaN(y[i]) && !math.IsNaN(y[m+i]) {
				b0 += 1 / float64(m*m) * (y[m+i] - y[i])
			}
		}
	} else if !math.IsNaN(y[1]) {
		b0 = hwWeight * (y[1] - y[0])
	}

	var s []float64
	if r.seasonal {
		s = make([]float64, m)
		for i := 0; i < m; i++ {
			if !math.IsNaN(y[i]) {
				s[i] = y[i] / l0
			}
		}
	}
	params := make([]float64, 6+len(s))
	params[4] = l0
	params[5] = b0
	copy(params[6:], s)
	return params
}

// step applies the recurrences once and returns the forecast for the
// step and the new level, trend and seasonal.
func hwStep(alpha, beta, gamma, phi, phiH, yT, lTp, bTp, sTm, sTmh float64) (yTh, lT, bT, sT float64) {
	lT = alpha*(yT/sTm) + (1-alpha)*(lTp+phi*bTp)
	bT = beta*(lT-lTp) + (1-beta)*phi*bTp
	sT = gamma*(yT/(lTp+phi*bTp)) + (1-gamma)*sTm
	yTh = (lT + phiH*bT) * sTmh
	return
}

// forecast runs the model over the series and h steps beyond. It clamps
// the smoothing parameters of params to [0, 1] and uses params[6:] as the
// ring buffer of seasonals, both in place.
func (r *holtWintersReducer) forecast(h int, params []float64) []float64 {
	for i := 0; i < 4; i++ {
		if params[i] > 1 {
			params[i] = 1
		}
		if params[i] < 0 {
			params[i] = 0
		}
	}
	yT := r.y[0]
	phi := params[3]
	phiH := phi
	lT, bT, sT := params[4], params[5], 0.0

	var seasonals []float64
	var m, so int
	if r.seasonal {
		seasonals = params[6:]
		m = len(seasonals)
		if m == 1 {
			seasonals[0] = 1
		}
		so = m - 1
	}

	l := len(r.y)
	out := make([]float64, l+h)
	out[0] = yT
	stm, stmh := 1.0, 1.0
	for t := 1; t < l+h; t++ {
		if r.seasonal {
			hm := t % m
			stm = seasonals[(t-m+so)%m]
			stmh = seasonals[(t-m+hm+so)%m]
		}
		yT, lT, bT, sT = hwStep(params[0], params[1], params[2], phi, phiH, yT, lT, bT, stm, stmh)
		phiH += math.Pow(phi, float64(t))
		if r.seasonal {
			seasonals[(t+so)%m] = sT
			so++
		}
		out[t] = yT
	}
	return out
}

// sse is the sum of squared errors of the fit over the known values; a
// NaN forecast where a value is known makes it +Inf.
func (r *holtWintersReducer) sse(params []float64) float64 {
	sse := 0.0
	fitted := r.forecast(0, params)
	for i := range fitted {
		if math.IsNaN(r.y[i]) {
			continue
		}
		if math.IsNaN(fitted[i]) {
			return math.Inf(1)
		}
		diff := fitted[i] - r.y[i]
		sse += diff * diff
	}
	return sse
}

// nelderMead minimises f from start with the downhill simplex method
// (reflection 1, contraction 0.5, expansion 2, at most 1000 iterations,
// stopping when the standard deviation of the vertex values falls below
// epsilon), as InfluxDB 1.1's optimiser does. f may change the vertex it
// is given. It returns the minimum and a copy of its vertex.
func nelderMead(f func([]float64) float64, start []float64, epsilon, scale float64) (float64, []float64) {
	const (
		maxIterations = 1000
		reflect       = 1.0
		contract      = 0.5
		expand        = 2.0
	)
	n := len(start)
	v := make([][]float64, n+1)
	for i := range v {
		v[i] = make([]float64, n)
	}
	fv := make([]float64, n+1)
	vr := make([]float64, n)
	ve := make([]float64, n)
	vc := make([]float64, n)
	vm := make([]float64, n)

	// The initial simplex: start and n vertices offset along each axis.
	pn := scale * (math.Sqrt(float64(n+1)) - 1 + float64(n)) / (float64(n) * math.Sqrt(2))
	qn := scale * (math.Sqrt(float64(n+1)) - 1) / (float64(n) * math.Sqrt(2))
	copy(v[0], start)
	for i := 1; i <= n; i++ {
		for j := 0; j < n; j++ {
			if i-1 == j {
				v[i][j] = pn + start[j]
			} else {
				v[i][j] = qn + start[j]
			}
		}
	}
	for j := 0; j <= n; j++ {
		fv[j] = f(v[j])
	}

	for itr := 1; itr <= maxIterations; itr++ {
		// Largest (vg), smallest (vs) and second largest (vh) values.
		vg, vs := 0, 0
		for i := 0; i <= n; i++ {
			if fv[i] > fv[vg] {
				vg = i
			}
			if fv[i] < fv[vs] {
				vs = i
			}
		}
		vh := vs
		for i := 0; i <= n; i++ {
			if fv[i] > fv[vh] && fv[i] < fv[vg] {
				vh = i
			}
		}

		// Centroid of all vertices but the worst.
		for i := 0; i <= n-1; i++ {
			cent := 0.0
			for k := 0; k <= n; k++ {
				if k != vg {
					cent += v[k][i]
				}
			}
			vm[i] = cent / float64(n)
		}

		for i := 0; i <= n-1; i++ {
			vr[i] = vm[i] + reflect*(vm[i]-v[vg][i])
		}
		fr := f(vr)
		if fr < fv[vh] && fr >= fv[vs] {
			copy(v[vg], vr)
			fv[vg] = fr
		}

		if fr < fv[vs] {
			for i := 0; i <= n-1; i++ {
				ve[i] = vm[i] + expand*(vr[i]-vm[i])
			}
			fe := f(ve)
			if fe < fr {
				copy(v[vg], ve)
				fv[vg] = fe
			} else {
				copy(v[vg], vr)
				fv[vg] = fr
			}
		}

		if fr >= fv[vh] {
			if fr < fv[vg] && fr >= fv[vh] {
				// outside contraction
				for i := 0; i <= n-1; i++ {
					vc[i] = vm[i] + contract*(vr[i]-vm[i])
				}
			} else {
				// inside contraction
				for i := 0; i <= n-1; i++ {
					vc[i] = vm[i] - contract*(vm[i]-v[vg][i])
				}
			}
			fc := f(vc)
			if fc < fv[vg] {
				copy(v[vg], vc)
				fv[vg] = fc
			} else {
				// Shrink every vertex halfway towards the best one.
				for row := 0; row <= n; row++ {
					if row != vs {
						for i := 0; i <= n-1; i++ {
							v[row][i] = v[vs][i] + (v[row][i]-v[vs][i])/2.0
						}
					}
				}
				fv[vg] = f(v[vg])
				fv[vh] = f(v[vh])
			}
		}

		// Converged when the values' standard deviation is below epsilon.
		fsum := 0.0
		for i := 0; i <= n; i++ {
			fsum += fv[i]
		}
		favg := fsum / float64(n+1)
		s := 0.0
		for i := 0; i <= n; i++ {
			s += math.Pow((fv[i]-favg), 2.0) / float64(n)
		}
		s = math.Sqrt(s)
		if s < epsilon {
			break
		}
	}

	vs := 0
	for i := 0; i <= n; i++ {
		if fv[i] < fv[vs] {
			vs = i
		}
	}
	best := append([]float64(nil), v[vs]...)
	min := f(v[vs])
	return min, best
}
