package data

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Dates in human formats and their ISO 8601 forms, the seed's example of a
// translation that attention learns: "tuesday march 9 1993" -> "1993-03-09".
//
// A date is a day number, 0 for 1900-01-01 up to DateDays-1 for
// 2099-12-31. Each human format is a layout of its fields (day, month,
// year, weekday) after Babel's English patterns (short "3/9/93", medium
// "mar 9, 1993", long "march 9, 1993", full "tuesday, march 9, 1993") and
// other common ones, lower-cased and without commas. Formats with a
// two-digit year are used only for the years 1950 to 2049, where 50-99 read
// as 19xx and 00-49 as 20xx, so every string names one date. Day-first
// numeric layouts use dots and month-first ones slashes, so "3/9/93" and
// "09.03.93" are both March 9 and never ambiguous.

// DateDays is the number of days from 1900-01-01 to 2099-12-31, inclusive.
const DateDays = 73049

// DateMaxLen is the length in bytes of the longest human date
// ("wednesday september 30 1998").
const DateMaxLen = 27

// dateEpoch is day 0.
var dateEpoch = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)

// DateFormat is one human way of writing a date.
type DateFormat struct {
	Name string // its pattern in Unicode's date-field letters, e.g. "d MMM yyyy"
	// TwoDigitYear formats are used only for the years 1950 to 2049.
	TwoDigitYear bool
	write        func(b []byte, f dateFields) []byte
}

// dateFields are the parts of one date that the formats print.
type dateFields struct {
	year, month, day int
	weekday          time.Weekday
}

var (
	monthNames = [12]string{"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november", "december"}
	weekdayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
)

// Field writers, named after the date-field letters of the patterns.
func wd(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) } // d, M: no padding
func wdd(b []byte, n int) []byte { // dd, MM: two digits
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
func wyy(b []byte, y int) []byte   { return wdd(b, y%100) }
func wyyyy(b []byte, y int) []byte { return strconv.AppendInt(b, int64(y), 10) }
func wMMM(b []byte, m int) []byte  { return append(b, monthNames[m-1][:3]...) }
func wMMMM(b []byte, m int) []byte { return append(b, monthNames[m-1]...) }
func wEEE(b []byte, d time.Weekday) []byte {
	return append(b, weekdayNames[d][:3]...)
}
func wEEEE(b []byte, d time.Weekday) []byte { return append(b, weekdayNames[d]...) }

// wth writes the day as an English ordinal: 1st, 2nd, 3rd, 4th, ... 11th,
// 12th, 13th, ... 21st, 22nd, 23rd, ... 31st.
func wth(b []byte, d int) []byte {
	b = wd(b, d)
	switch {
	case d/10 == 1:
		return append(b, "th"...)
	case d%10 == 1:
		return append(b, "st"...)
	case d%10 == 2:
		return append(b, "nd"...)
	case d%10 == 3:
		return append(b, "rd"...)
	}
	return append(b, "th"...)
}

// dateFormats lists every format; the example date is 1993-03-09, a
// Tuesday.
var dateFormats = []DateFormat{
	{"M/d/yy", true, func(b []byte, f dateFields) []byte { // short: 3/9/93
		return wyy(append(wd(append(wd(b, f.month), '/'), f.day), '/'), f.year)
	}},
	{"MMM d yyyy", false, func(b []byte, f dateFields) []byte { // medium: mar 9 1993
		return wyyyy(append(wd(append(wMMM(b, f.month), ' '), f.day), ' '), f.year)
	}},
	{"MMMM d yyyy", false, func(b []byte, f dateFields) []byte { // long: march 9 1993
		return wyyyy(append(wd(append(wMMMM(b, f.month), ' '), f.day), ' '), f.year)
	}},
	{"EEEE MMMM d yyyy", false, func(b []byte, f dateFields) []byte { // full: tuesday march 9 1993
		b = append(wEEEE(b, f.weekday), ' ')
		return wyyyy(append(wd(append(wMMMM(b, f.month), ' '), f.day), ' '), f.year)
	}},
	{"d MMM yyyy", false, func(b []byte, f dateFields) []byte { // 9 mar 1993
		return wyyyy(append(wMMM(append(wd(b, f.day), ' '), f.month), ' '), f.year)
	}},
	{"d MMMM yyyy", false, func(b []byte, f dateFields) []byte { // 9 march 1993
		return wyyyy(append(wMMMM(append(wd(b, f.day), ' '), f.month), ' '), f.year)
	}},
	{"dd MMM yyyy", false, func(b []byte, f dateFields) []byte { // 09 mar 1993
		return wyyyy(append(wMMM(append(wdd(b, f.day), ' '), f.month), ' '), f.year)
	}},
	{"dd.MM.yy", true, func(b []byte, f dateFields) []byte { // 09.03.93
		return wyy(append(wdd(append(wdd(b, f.day), '.'), f.month), '.'), f.year)
	}},
	{"dd.MM.yyyy", false, func(b []byte, f dateFields) []byte { // 09.03.1993
		return wyyyy(append(wdd(append(wdd(b, f.day), '.'), f.month), '.'), f.year)
	}},
	{"d.M.yyyy", false, func(b []byte, f dateFields) []byte { // 9.3.1993
		return wyyyy(append(wd(append(wd(b, f.day), '.'), f.month), '.'), f.year)
	}},
	{"MM/dd/yyyy", false, func(b []byte, f dateFields) []byte { // 03/09/1993
		return wyyyy(append(wdd(append(wdd(b, f.month), '/'), f.day), '/'), f.year)
	}},
	{"M/d/yyyy", false, func(b []byte, f dateFields) []byte { // 3/9/1993
		return wyyyy(append(wd(append(wd(b, f.month), '/'), f.day), '/'), f.year)
	}},
	{"d MM yy", true, func(b []byte, f dateFields) []byte { // 9 03 93
		return wyy(append(wdd(append(wd(b, f.day), ' '), f.month), ' '), f.year)
	}},
	{"d MMM yy", true, func(b []byte, f dateFields) []byte { // 9 mar 93
		return wyy(append(wMMM(append(wd(b, f.day), ' '), f.month), ' '), f.year)
	}},
	{"MMM d yy", true, func(b []byte, f dateFields) []byte { // mar 9 93
		return wyy(append(wd(append(wMMM(b, f.month), ' '), f.day), ' '), f.year)
	}},
	{"EEE MMM d yyyy", false, func(b []byte, f dateFields) []byte { // tue mar 9 1993
		b = append(wEEE(b, f.weekday), ' ')
		return wyyyy(append(wd(append(wMMM(b, f.month), ' '), f.day), ' '), f.year)
	}},
	{"EEEE d MMMM yyyy", false, func(b []byte, f dateFields) []byte { // tuesday 9 march 1993
		b = append(wEEEE(b, f.weekday), ' ')
		return wyyyy(append(wMMMM(append(wd(b, f.day), ' '), f.month), ' '), f.year)
	}},
	{"MMMM dth yyyy", false, func(b []byte, f dateFields) []byte { // march 9th 1993
		return wyyyy(append(wth(append(wMMMM(b, f.month), ' '), f.day), ' '), f.year)
	}},
	{"the dth of MMMM yyyy", false, func(b []byte, f dateFields) []byte { // the 9th of march 1993
		b = append(wth(append(b, "the "...), f.day), " of "...)
		return wyyyy(append(wMMMM(b, f.month), ' '), f.year)
	}},
	{"yyyyMMdd", false, func(b []byte, f dateFields) []byte { // 19930309
		return wdd(wdd(wyyyy(b, f.year), f.month), f.day)
	}},
	{"yyyy-MM-dd", false, func(b []byte, f dateFields) []byte { // 1993-03-09: already ISO
		return wdd(append(wdd(append(wyyyy(b, f.year), '-'), f.month), '-'), f.day)
	}},
}

// DateFormats returns the human formats, in a fixed order (the index is
// what FormatDate takes).
func DateFormats() []DateFormat { return dateFormats }

// fieldsOf returns the fields of day; it panics outside 0..DateDays-1.
func fieldsOf(day int) dateFields {
	if day < 0 || day >= DateDays {
		panic(fmt.Sprintf("data: day %d outside 0..%d (1900-01-01..2099-12-31)", day, DateDays-1))
	}
	t := dateEpoch.AddDate(0, 0, day)
	return dateFields{year: t.Year(), month: int(t.Month()), day: t.Day(), weekday: t.Weekday()}
}

// DateUsable reports whether format may write day: every format for the
// years 1950 to 2049, the four-digit-year formats for the others.
func DateUsable(format, day int) bool {
	y := fieldsOf(day).year
	return !dateFormats[format].TwoDigitYear || y >= 1950 && y <= 2049
}

// FormatDate writes day in the given format (an index of DateFormats). It
// panics if the format may not write the day (see DateUsable).
func FormatDate(day, format int) string {
	if !DateUsable(format, day) {
		panic(fmt.Sprintf("data: date format %q has a two-digit year; day %d is outside 1950..2049", dateFormats[format].Name, day))
	}
	return string(dateFormats[format].write(make([]byte, 0, DateMaxLen), fieldsOf(day)))
}

// ISODate writes day as ISO 8601, yyyy-mm-dd.
func ISODate(day int) string {
	f := fieldsOf(day)
	return string(wdd(append(wdd(append(wyyyy(make([]byte, 0, 10), f.year), '-'), f.month), '-'), f.day))
}

// DayOf returns the day number of the date (year, month, day), and false
// when it is not a date from 1900-01-01 to 2099-12-31.
func DayOf(year, month, day int) (int, bool) {
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day {
		return 0, false
	}
	d := int(t.Sub(dateEpoch).Hours() / 24)
	return d, d >= 0 && d < DateDays
}

// DatePair is one translation example: a date in a human format and in
// ISO 8601.
type DatePair struct {
	Day    int    // the day number
	Format int    // the index of the human format in DateFormats
	Human  string // e.g. "tuesday march 9 1993"
	ISO    string // e.g. "1993-03-09"
}

// HumanDate writes day in a format drawn uniformly from those usable for
// it.
func HumanDate(rng *rand.Rand, day int) DatePair {
	usable := len(dateFormats)
	if !DateUsable(0, day) { // two-digit formats are out for this year
		usable = 0
		for i := range dateFormats {
			if !dateFormats[i].TwoDigitYear {
				usable++
			}
		}
	}
	k := rng.IntN(usable)
	format := 0
	for ; ; format++ {
		if DateUsable(format, day) {
			if k == 0 {
				break
			}
			k--
		}
	}
	return DatePair{Day: day, Format: format, Human: FormatDate(day, format), ISO: ISODate(day)}
}

// DateSplit deals the days from 1900-01-01 to 2099-12-31 into three
// disjoint sets drawn with rng: val and test days (each sorted) and the
// rest for training (sorted), so that no validation or test date ever
// occurs in training, in any format.
func DateSplit(rng *rand.Rand, val, test int) (trainDays, valDays, testDays []int) {
	if val < 0 || test < 0 || val+test >= DateDays {
		panic(fmt.Sprintf("data: %d validation and %d test days of %d", val, test, DateDays))
	}
	perm := rng.Perm(DateDays)
	held := make([]bool, DateDays)
	valDays, testDays = perm[:val:val], perm[val:val+test:val+test]
	for _, d := range perm[:val+test] {
		held[d] = true
	}
	trainDays = make([]int, 0, DateDays-val-test)
	for d := range DateDays {
		if !held[d] {
			trainDays = append(trainDays, d)
		}
	}
	slices.Sort(valDays)
	slices.Sort(testDays)
	return trainDays, valDays, testDays
}

// DateExamples writes each day in a format drawn with rng.
func DateExamples(rng *rand.Rand, days []int) []DatePair {
	out := make([]DatePair, len(days))
	for i, d := range days {
		out[i] = HumanDate(rng, d)
	}
	return out
}

// DateSample draws n training examples: days uniformly from days, each in a
// format drawn uniformly from those usable for it.
func DateSample(rng *rand.Rand, days []int, n int) []DatePair {
	if len(days) == 0 && n > 0 {
		panic("data: DateSample from no days")
	}
	out := make([]DatePair, n)
	for i := range out {
		out[i] = HumanDate(rng, days[rng.IntN(len(days))])
	}
	return out
}

// DateAlphabet holds every byte the human formats and ISO dates use.
const DateAlphabet = " -./0123456789abcdefghijklmnopqrstuvwxyz"

// NormalizeDate prepares a user's date string the way the generated ones
// are written: lower case, commas dropped, runs of spaces made one, leading
// and trailing spaces trimmed.
func NormalizeDate(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, ",", " "))), " ")
}
