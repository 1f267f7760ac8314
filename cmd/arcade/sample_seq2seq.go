package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"

	"github.com/arcadelab/arcade/generative/seq2seq"
	"github.com/arcadelab/arcade/internal/atomicfile"
	"github.com/arcadelab/arcade/internal/data"
	"github.com/arcadelab/arcade/internal/run"
)

// seq2seqTranslation is one translated date in arcade sample's --json.
type seq2seqTranslation struct {
	Input   string  `json:"input"`    // as given
	Output  string  `json:"output"`   // the beam search's answer
	LogProb float64 `json:"log_prob"` // log P(output | input), EOS included
}

// seq2seqSamples is what arcade sample prints for a seq2seq run with --json.
type seq2seqSamples struct {
	Translations []seq2seqTranslation `json:"translations"`
}

// seq2seqMaxInput bounds the length of a date to translate.
const seq2seqMaxInput = 100

// sampleSeq2seq translates dates with a trained seq2seq run: the dates
// given after RUN (or --n dates drawn from --seed in random formats), by
// beam search, with the attention map of each as PNG when --png is given.
// With --analyze it runs the error analysis on the run's test dates.
func sampleSeq2seq(c *cli, dir string, args []string) error {
	var co common
	fs := c.flagSet("RUN [DATE...] [flags]", &co, flagSeed|flagJSON)
	n := fs.Int("n", 5, "without dates: how many random dates (from --seed, in random formats) to translate")
	beam := fs.Int("beam", 3, "beam width B (1: greedy)")
	alpha := fs.Float64("alpha", 0.7, "length normalisation: hypotheses rank by log P / T^alpha")
	png := fs.String("png", "", "write each date's attention map (output by input characters) as PNG: FILE for one date, FILE with -1, -2, ... before .png for several")
	analyze := fs.Bool("analyze", false, "instead of translating: decode the run's test dates again (drawn from the run's seed) with --beam and --alpha and print the error analysis, "+
		"for each wrong output whether P(y*|x) > P(y^|x) (the search is at fault) or not (the model is), with counts")
	if err := c.parse(fs, args, &co); err != nil {
		return err
	}
	switch {
	case *n < 1 || *n > 1000:
		return c.badInput("--n %d: want 1..1000", *n)
	case *beam < 1 || *beam > 100:
		return c.badInput("--beam %d: want 1..100", *beam)
	case !(*alpha >= 0 && *alpha <= 2):
		return c.badInput("--alpha %v: want 0..2", *alpha)
	}
	if *analyze {
		for _, name := range []string{"n", "png"} {
			if fs.Changed(name) {
				return c.badInput("--%s with --analyze: the analysis decodes the run's test dates", name)
			}
		}
		if fs.NArg() > 0 {
			return c.badInput("date %q with --analyze: the analysis decodes the run's test dates", fs.Arg(0))
		}
	}
	var cfg seq2seqConfig
	meta, err := run.LoadConfig(dir, "seq2seq", &cfg)
	if err != nil {
		return err
	}
	m, err := seq2seq.Load(filepath.Join(dir, "model.safetensors"), cfg.Config)
	if err != nil {
		return err
	}
	if *analyze {
		return analyzeSeq2seq(c, m, meta.Seed, cfg, *beam, *alpha, co.JSON)
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		rng := rand.New(rand.NewPCG(co.Seed, 0))
		for range *n {
			inputs = append(inputs, data.HumanDate(rng, rng.IntN(data.DateDays)).Human)
		}
	}
	texts := make([]string, len(inputs))
	for i, in := range inputs {
		texts[i] = data.NormalizeDate(in)
		if texts[i] == "" || len(texts[i]) > seq2seqMaxInput {
			return c.badInput("date %q: want 1 to %d characters", in, seq2seqMaxInput)
		}
		if _, err := m.Src.Encode(nil, texts[i]); err != nil {
			return c.badInput("date %q: %v", in, err)
		}
	}
	src, err := m.Encode(texts)
	if err != nil {
		return err
	}
	search := seq2seq.DefaultSearch(m.Tgt.BOS(), m.Tgt.EOS(), len("yyyy-mm-dd")+2)
	search.Width, search.Alpha = *beam, *alpha
	dec := m.NewDecoder()
	hyps := seq2seq.Beam(dec, src, search)
	var res seq2seqSamples
	for i, h := range hyps {
		out := m.Tgt.Decode(h.Tokens)
		res.Translations = append(res.Translations, seq2seqTranslation{Input: inputs[i], Output: out, LogProb: h.LogProb})
		if *png == "" {
			continue
		}
		file := *png
		if len(hyps) > 1 {
			file = strings.TrimSuffix(file, ".png") + fmt.Sprintf("-%d.png", i+1)
		}
		alpha := dec.Attention(src[i], h.Sequence(m.Tgt.EOS()), m.Tgt.BOS())
		if err := atomicfile.WriteFunc(file, func(w io.Writer) error {
			return seq2seq.WriteAttentionMap(w, alpha, texts[i], out, texts[i]+" -> "+out)
		}); err != nil {
			return err
		}
	}
	if co.JSON {
		return c.printResult(res, true)
	}
	for _, t := range res.Translations {
		if _, err := fmt.Fprintf(c.stdout, "%-28s -> %s  (log P %.4f)\n", t.Input, t.Output, t.LogProb); err != nil {
			return err
		}
	}
	return nil
}

// seq2seqAnalysis is what arcade sample --analyze prints with --json.
type seq2seqAnalysis struct {
	Width        int     `json:"width"` // 1: greedy search
	Alpha        float64 `json:"alpha"`
	TestExamples int     `json:"test_examples"`
	ExactMatch   float64 `json:"exact_match"`
	Wrong        int     `json:"wrong"`
	SearchFaults int     `json:"search_faults"`
	ModelFaults  int     `json:"model_faults"`
}

// analyzeSeq2seq decodes the test dates of the run of seed and cfg with m
// (greedy search for width 1, beam search otherwise, as the training run's
// report) and prints the error analysis: the counts and up to 50 wrong
// outputs.
func analyzeSeq2seq(c *cli, m *seq2seq.Model, seed uint64, cfg seq2seqConfig, width int, alpha float64, asJSON bool) error {
	_, _, test := seq2seqDates(m, seed, cfg)
	search := seq2seq.DefaultSearch(m.Tgt.BOS(), m.Tgt.EOS(), len("yyyy-mm-dd")+2)
	search.Width, search.Alpha = width, alpha
	dec := m.NewDecoder()
	var hyps []seq2seq.Hypothesis
	if width == 1 {
		hyps = seq2seq.Greedy(dec, test.src, search)
	} else {
		hyps = seq2seq.Beam(dec, test.src, search)
	}
	a := seq2seq.Analyze(dec, search, test.src, test.targets, hyps)
	if asJSON {
		return c.printResult(seq2seqAnalysis{Width: width, Alpha: alpha, TestExamples: a.Examples, ExactMatch: a.Accuracy(),
			Wrong: a.Wrong, SearchFaults: a.SearchFaults, ModelFaults: a.ModelFaults}, true)
	}
	sources, targets, outputs := make([]string, len(hyps)), make([]string, len(hyps)), make([]string, len(hyps))
	for i, p := range test.pairs {
		sources[i], targets[i], outputs[i] = p.Human, p.ISO, m.Tgt.Decode(hyps[i].Tokens)
	}
	return a.WriteReport(c.stdout, sources, targets, outputs, 50)
}
