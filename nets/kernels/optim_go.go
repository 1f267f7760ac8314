package kernels

import "math"

// The Go loops of the optimizer updates: the whole update in builds
// without assembly and under the go kernel, the last elements of a
// parameter (fewer than a vector) otherwise. Each float32(...) around a
// product rounds it before the addition, as the vector kernels do.

// adamGo is AdamStep's loop.
func adamGo(p, g, m, v []float32, c *AdamCoeffs) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for j, gj := range g {
		if c.WeightDecay {
			p[j] *= c.Decay
			gj += float32(c.WD * p[j])
		}
		m[j] = float32(c.B1*m[j]) + float32(c.C1*gj)
		v[j] = float32(c.B2*v[j]) + float32(float32(c.C2*gj)*gj)
		p[j] -= float32(c.Alpha*m[j]) / (sqrt32(v[j]) + c.Eps)
	}
}

// rmspropGo is RMSPropStep's loop.
func rmspropGo(p, g, v, gAvg, buf []float32, c *RMSPropCoeffs) {
	g, v = g[:len(p)], v[:len(p)]
	for j, gj := range g {
		if c.WD != 0 {
			gj += float32(c.WD * p[j])
		}
		v[j] = float32(c.Alpha*v[j]) + float32(float32(c.C*gj)*gj)
		var s float32
		if gAvg != nil {
			gAvg[j] = float32(c.Alpha*gAvg[j]) + float32(c.C*gj)
			s = sqrt32(v[j]-float32(gAvg[j]*gAvg[j])) + c.Eps
		} else {
			s = sqrt32(v[j]) + c.Eps
		}
		if buf != nil {
			buf[j] = float32(c.Mu*buf[j]) + gj/s
			p[j] -= float32(c.LR * buf[j])
		} else {
			p[j] -= float32(c.LR*gj) / s
		}
	}
}

// dqnRMSPropGo is DQNRMSPropStep's loop.
func dqnRMSPropGo(p, g, n, gAvg, delta []float32, c *DQNRMSPropCoeffs) {
	g, n, gAvg = g[:len(p)], n[:len(p)], gAvg[:len(p)]
	negLR := -c.LR
	for j, gj := range g {
		n[j] = float32(c.Rho*n[j]) + float32(float32(c.C*gj)*gj)
		gAvg[j] = float32(c.Rho*gAvg[j]) + float32(c.C*gj)
		d := float32(negLR*gj) / sqrt32(n[j]-float32(gAvg[j]*gAvg[j])+c.Eps)
		if delta != nil {
			d += float32(c.Mu * delta[j])
			delta[j] = d
		}
		p[j] += d
	}
}

// sgdGo is SGDStep's loop.
func sgdGo(p, g, buf []float32, c *SGDCoeffs) {
	g = g[:len(p)]
	for j, gj := range g {
		if c.WD != 0 {
			gj += float32(c.WD * p[j])
		}
		if buf != nil {
			if c.First {
				buf[j] = gj
			} else {
				buf[j] = float32(c.Mu*buf[j]) + float32(c.Damp*gj)
			}
			if c.Nesterov {
				gj += float32(c.Mu * buf[j])
			} else {
				gj = buf[j]
			}
		}
		p[j] -= float32(c.LR * gj)
	}
}

// sqrt32 is the correctly rounded float32 square root (the float64 root
// rounded to float32 is: float64 has more than twice float32's precision).
func sqrt32(v float32) float32 { return float32(math.Sqrt(float64(v))) }
