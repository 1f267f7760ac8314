package data

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDateFormatsWriteTheSeedsExample(t *testing.T) {
	day, ok := DayOf(1993, 3, 9) // a Tuesday
	require.True(t, ok)
	want := map[string]string{
		"M/d/yy":               "3/9/93",
		"MMM d yyyy":           "mar 9 1993",
		"MMMM d yyyy":          "march 9 1993",
		"EEEE MMMM d yyyy":     "tuesday march 9 1993",
		"d MMM yyyy":           "9 mar 1993",
		"d MMMM yyyy":          "9 march 1993",
		"dd MMM yyyy":          "09 mar 1993",
		"dd.MM.yy":             "09.03.93",
		"dd.MM.yyyy":           "09.03.1993",
		"d.M.yyyy":             "9.3.1993",
		"MM/dd/yyyy":           "03/09/1993",
		"M/d/yyyy":             "3/9/1993",
		"d MM yy":              "9 03 93",
		"d MMM yy":             "9 mar 93",
		"MMM d yy":             "mar 9 93",
		"EEE MMM d yyyy":       "tue mar 9 1993",
		"EEEE d MMMM yyyy":     "tuesday 9 march 1993",
		"MMMM dth yyyy":        "march 9th 1993",
		"the dth of MMMM yyyy": "the 9th of march 1993",
		"yyyyMMdd":             "19930309",
		"yyyy-MM-dd":           "1993-03-09",
	}
	require.Len(t, DateFormats(), len(want))
	for i, f := range DateFormats() {
		require.Equal(t, want[f.Name], FormatDate(day, i), f.Name)
	}
	require.Equal(t, "1993-03-09", ISODate(day))
}

func TestDayNumbersSpanTwoCenturies(t *testing.T) {
	require.Equal(t, "1900-01-01", ISODate(0))
	require.Equal(t, "2099-12-31", ISODate(DateDays-1))
	d, ok := DayOf(2000, 2, 29)
	require.True(t, ok)
	require.Equal(t, "2000-02-29", ISODate(d))
	for _, bad := range [][3]int{{1900, 2, 29}, {1899, 12, 31}, {2100, 1, 1}, {1993, 13, 1}, {1993, 4, 31}} {
		_, ok := DayOf(bad[0], bad[1], bad[2])
		require.False(t, ok, "%v", bad)
	}
	require.Panics(t, func() { ISODate(DateDays) })
	require.Panics(t, func() { ISODate(-1) })
}

func TestOrdinalsAndTwoDigitYears(t *testing.T) {
	ord := map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 23: "23rd", 30: "30th", 31: "31st"}
	for d, w := range ord {
		require.Equal(t, w, string(wth(nil, d)))
	}
	short := 0 // M/d/yy
	require.True(t, dateFormats[short].TwoDigitYear)
	for _, c := range []struct {
		y, m, d int
		usable  bool
		human   string
	}{
		{1949, 12, 31, false, ""}, {1950, 1, 1, true, "1/1/50"}, {1999, 12, 31, true, "12/31/99"},
		{2000, 1, 1, true, "1/1/00"}, {2049, 12, 31, true, "12/31/49"}, {2050, 1, 1, false, ""},
	} {
		day, ok := DayOf(c.y, c.m, c.d)
		require.True(t, ok)
		require.Equal(t, c.usable, DateUsable(short, day), "%d", c.y)
		if c.usable {
			require.Equal(t, c.human, FormatDate(day, short))
		} else {
			require.Panics(t, func() { FormatDate(day, short) })
		}
	}
}

// TestEveryHumanDateNamesOneDay writes every day in every usable format and
// checks that no string names two days (by 64-bit FNV-1a hashes, where a
// chance collision of 1.5 million strings has odds of about 1e-7), that
// the longest is DateMaxLen and that every byte is in DateAlphabet, with
// single spaces between words.
func TestEveryHumanDateNamesOneDay(t *testing.T) {
	seen := make(map[uint64]int32, 1<<21)
	var inAlphabet [256]bool
	for i := range len(DateAlphabet) {
		inAlphabet[DateAlphabet[i]] = true
	}
	longest := 0
	var b []byte
	for day := range DateDays {
		fields := fieldsOf(day)
		twoDigits := fields.year >= 1950 && fields.year <= 2049
		for _, format := range DateFormats() {
			if format.TwoDigitYear && !twoDigits {
				continue
			}
			b = format.write(b[:0], fields)
			h := uint64(14695981039346656037)
			for _, c := range b {
				h = (h ^ uint64(c)) * 1099511628211
			}
			if prev, dup := seen[h]; dup && int(prev) != day {
				t.Fatalf("%q names %s and %s", b, ISODate(int(prev)), ISODate(day))
			}
			seen[h] = int32(day)
			longest = max(longest, len(b))
			for i, c := range b {
				if !inAlphabet[c] || c == ' ' && (i == 0 || i == len(b)-1 || b[i-1] == ' ') {
					t.Fatalf("%q: byte %d is not in DateAlphabet or a single space between words", b, i)
				}
			}
		}
	}
	require.Equal(t, DateMaxLen, longest)
}

func TestWeekdaysAreRight(t *testing.T) {
	full := 3 // EEEE MMMM d yyyy
	require.Equal(t, "EEEE MMMM d yyyy", dateFormats[full].Name)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		day := rng.IntN(DateDays)
		tm := time.Date(1900, 1, 1+day, 0, 0, 0, 0, time.UTC)
		require.Equal(t, strings.ToLower(tm.Format("Monday January 2 2006")), FormatDate(day, full))
		require.Equal(t, tm.Format("2006-01-02"), ISODate(day))
	}
}

func TestHumanDatesDrawUsableFormatsUniformly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	old, _ := DayOf(1901, 5, 17)
	recent, _ := DayOf(1993, 3, 9)
	counts := make([]int, len(DateFormats()))
	const n = 42000
	for range n {
		p := HumanDate(rng, old)
		require.False(t, DateFormats()[p.Format].TwoDigitYear, p.Human)
		require.Equal(t, "1901-05-17", p.ISO)
		require.Equal(t, FormatDate(old, p.Format), p.Human)
		counts[HumanDate(rng, recent).Format]++
	}
	for f, c := range counts {
		// n/21 = 2000 per format; 4 standard deviations is about 175.
		require.InDelta(t, n/len(counts), c, 175, DateFormats()[f].Name)
	}
}

func TestDateSplitIsDisjointAndSeeded(t *testing.T) {
	train, val, test := DateSplit(rand.New(rand.NewPCG(5, 6)), 1000, 10000)
	require.Len(t, val, 1000)
	require.Len(t, test, 10000)
	require.Len(t, train, DateDays-11000)
	owner := make([]int, DateDays)
	for k, set := range [][]int{train, val, test} {
		require.IsIncreasing(t, set)
		for _, d := range set {
			require.Zero(t, owner[d], "day %d in two sets", d)
			owner[d] = k + 1
		}
	}
	for d, o := range owner {
		require.NotZero(t, o, "day %d in no set", d)
	}
	_, _, again := DateSplit(rand.New(rand.NewPCG(5, 6)), 1000, 10000)
	require.Equal(t, test, again)
	_, _, other := DateSplit(rand.New(rand.NewPCG(7, 6)), 1000, 10000)
	require.NotEqual(t, test, other)
	require.Panics(t, func() { DateSplit(rng0(), 1, DateDays) })
}

func rng0() *rand.Rand { return rand.New(rand.NewPCG(0, 0)) }

func TestDateSamplesComeFromTheirDays(t *testing.T) {
	days := []int{10, 20000, 40000}
	ps := DateSample(rand.New(rand.NewPCG(1, 1)), days, 300)
	hit := map[int]int{}
	for _, p := range ps {
		hit[p.Day]++
		require.Equal(t, ISODate(p.Day), p.ISO)
	}
	require.Len(t, hit, 3)
	require.Equal(t, ps, DateSample(rand.New(rand.NewPCG(1, 1)), days, 300))
	ex := DateExamples(rand.New(rand.NewPCG(1, 1)), days)
	for i, p := range ex {
		require.Equal(t, days[i], p.Day)
	}
}

func TestNormalizeDate(t *testing.T) {
	require.Equal(t, "tuesday march 9 1993", NormalizeDate("  Tuesday, March 9, 1993 "))
	require.Equal(t, "mar 9 1993", NormalizeDate("Mar 9,1993"))
	require.Equal(t, "", NormalizeDate(" , "))
}
