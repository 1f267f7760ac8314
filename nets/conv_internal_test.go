package nets

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFillSetsEveryElement(t *testing.T) {
	for n := 0; n < 100; n++ {
		x := make([]float32, n+2)
		fill(x[1:n+1], 2.5)
		for i, v := range x {
			want := float32(2.5)
			if i == 0 || i == n+1 {
				want = 0 // the neighbours stay
			}
			require.Equal(t, want, v, "length %d, element %d", n, i-1)
		}
	}
}
