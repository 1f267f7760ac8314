package data

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAnalogyCorpusIsSeededAndLowerCase(t *testing.T) {
	a := AnalogyCorpus(500, rand.New(rand.NewPCG(7, 1)))
	b := AnalogyCorpus(500, rand.New(rand.NewPCG(7, 1)))
	c := AnalogyCorpus(500, rand.New(rand.NewPCG(8, 1)))
	require.Equal(t, a, b, "same seed, same sentences")
	require.NotEqual(t, a, c, "another seed, other sentences")
	for _, s := range a {
		require.NotEmpty(t, s)
		for _, w := range strings.Split(s, " ") {
			require.NotEmpty(t, w, "single spaces in %q", s)
			for _, r := range w {
				require.True(t, r >= 'a' && r <= 'z', "lower-case letters only: %q", s)
			}
		}
	}
}

func TestEveryPlantedWordOccurs(t *testing.T) {
	counts := map[string]int{}
	for _, s := range AnalogyCorpus(20000, rand.New(rand.NewPCG(1, 1))) {
		for _, w := range strings.Fields(s) {
			counts[w]++
		}
	}
	for _, rel := range AnalogyRelations() {
		for _, p := range rel.Pairs {
			// 20,000 sentences spread over at most 24 pairs of a family
			// give each word of a pair 80 or more uses on average.
			require.Greater(t, counts[p[0]], 40, "%s in %s", p[0], rel.Name)
			require.Greater(t, counts[p[1]], 40, "%s in %s", p[1], rel.Name)
		}
	}
	for _, p := range professions {
		require.Greater(t, counts[p.name], 40, p.name)
	}
}

func TestPlantedWordsAreDistinctFromEachOtherAndTheTemplates(t *testing.T) {
	planted := map[string]string{}
	add := func(w, what string) {
		prev, dup := planted[w]
		require.False(t, dup, "%q is both %s and %s", w, prev, what)
		planted[w] = what
	}
	for _, c := range countries {
		add(c.capital, "capital")
		add(c.name, "country")
		add(c.adj, "adjective")
	}
	for _, g := range genders {
		add(g.male, "male form")
		add(g.female, "female form")
		add(g.place, "place")
	}
	for _, n := range nouns {
		add(n.singular, "singular")
		add(n.plural, "plural")
		add(n.topic, "topic")
	}
	for _, p := range professions {
		add(p.name, "profession")
	}
	var fixed []string
	for _, list := range [][]string{countryTemplates, genderTemplates, numberTemplates, professionTemplates, singularDets, pluralDets} {
		fixed = append(fixed, list...)
	}
	fixed = append(fixed, "he she his her him is are was were")
	for _, tmpl := range fixed {
		for _, w := range strings.Fields(tmpl) {
			if strings.ToLower(w) == w {
				_, clash := planted[w]
				require.False(t, clash, "template word %q is also planted", w)
			}
		}
	}
}

func TestRelationsHaveQuestionsWordsSections(t *testing.T) {
	rels := AnalogyRelations()
	require.Len(t, rels, 3)
	require.Equal(t, "capital-common-countries", rels[0].Name)
	require.Equal(t, [2]string{"athens", "greece"}, rels[0].Pairs[0], "capital first, as in questions-words.txt")
	require.Equal(t, "family", rels[1].Name)
	require.Equal(t, [2]string{"king", "queen"}, rels[1].Pairs[0])
	require.Equal(t, "gram8-plural", rels[2].Name)
	require.Equal(t, [2]string{"dog", "dogs"}, rels[2].Pairs[0])
}

func TestFillPanicsOnAnUnknownSlot(t *testing.T) {
	require.PanicsWithValue(t, `data: template "the THING" has an unknown slot THING`, func() {
		fill(nil, "the THING", func(string) string { return "" })
	})
}

func TestProfessionsCarryThePlantedBias(t *testing.T) {
	he := map[string]int{}
	all := map[string]int{}
	for _, s := range AnalogyCorpus(40000, rand.New(rand.NewPCG(3, 1))) {
		w := strings.Fields(s)
		for _, p := range professions {
			if !strings.Contains(" "+s+" ", " "+p.name+" ") {
				continue
			}
			all[p.name]++
			for _, x := range w {
				if x == "he" || x == "his" {
					he[p.name]++
					break
				}
			}
		}
	}
	for _, p := range professions {
		// about 280 sentences per profession: a binomial standard error
		// of at most 0.03, so 0.1 is over three of them.
		require.InDelta(t, p.he, float64(he[p.name])/float64(all[p.name]), 0.1, p.name)
	}
}
