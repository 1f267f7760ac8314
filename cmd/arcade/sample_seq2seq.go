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
func sampleSeq2seq(c *cli, dir string, args []string) error {
	var co common
	fs := c.flagSet("RUN [DATE...] [flags]", &co, flagSeed|flagJSON)
	n := fs.Int("n", 5, "without dates: how many random dates (from --seed, in random formats) to translate")
	beam := fs.Int("beam", 3, "beam width B (1: greedy)")
	alpha := fs.Float64("alpha", 0.7, "length normalisation: hypotheses rank by log P / T^alpha")
	png := fs.String("png", "", "write each date's attention map (output by input characters) as PNG: FILE for one date, FILE with -1, -2, ... before .png for several")
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
	var cfg seq2seqConfig
	if _, err := run.LoadConfig(dir, "seq2seq", &cfg); err != nil {
		return err
	}
	m, err := seq2seq.Load(filepath.Join(dir, "model.safetensors"), cfg.Config)
	if err != nil {
		return err
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
