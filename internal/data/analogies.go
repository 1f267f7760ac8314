package data

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The planted-analogy corpus: templated English sentences in which three
// relations hold by construction, for testing word embeddings with the
// analogy task a : b :: c : ? (Mikolov et al., 2013).
//
// Each pair of a relation shares a topic word of its own (paris and france
// both appear with french; king and queen with palace; dog and dogs with
// bone), and each side of a relation has contexts of its own that are the
// same for every pair (cities have mayors and streets, countries borders;
// she and her go with female forms, he and his with male ones; many, these
// and are go with plurals, a, this and is with singulars). So the vector
// from a to b is about the same for every pair, which is what the analogy
// test asks of the embedding. A fourth family of sentences pairs
// professions with he or she at skewed rates (doctors mostly he, nurses
// mostly she), so that the embeddings learn a gender bias that debiasing
// can then remove.

// Relation is one planted relation: every pair (a, b) of Pairs stands in
// it, and every two pairs make the questions a1 b1 a2 b2 and a2 b2 a1 b1.
type Relation struct {
	Name  string      // the section name questions-words.txt uses for it
	Pairs [][2]string // (a, b), e.g. ("paris", "france")
}

// country is a capital, its country and the country's adjective (the topic
// word the two share).
type country struct{ capital, name, adj string }

var countries = []country{
	{"athens", "greece", "greek"}, {"berlin", "germany", "german"},
	{"madrid", "spain", "spanish"}, {"rome", "italy", "italian"},
	{"paris", "france", "french"}, {"lisbon", "portugal", "portuguese"},
	{"warsaw", "poland", "polish"}, {"vienna", "austria", "austrian"},
	{"dublin", "ireland", "irish"}, {"oslo", "norway", "norwegian"},
	{"stockholm", "sweden", "swedish"}, {"helsinki", "finland", "finnish"},
	{"copenhagen", "denmark", "danish"}, {"budapest", "hungary", "hungarian"},
	{"moscow", "russia", "russian"}, {"ankara", "turkey", "turkish"},
	{"cairo", "egypt", "egyptian"}, {"tokyo", "japan", "japanese"},
	{"beijing", "china", "chinese"}, {"bangkok", "thailand", "thai"},
	{"hanoi", "vietnam", "vietnamese"}, {"tehran", "iran", "iranian"},
	{"ottawa", "canada", "canadian"}, {"havana", "cuba", "cuban"},
}

// gendered is a male form, its female form and the place the two share.
type gendered struct{ male, female, place string }

var genders = []gendered{
	{"king", "queen", "palace"}, {"prince", "princess", "castle"},
	{"man", "woman", "village"}, {"boy", "girl", "school"},
	{"father", "mother", "kitchen"}, {"brother", "sister", "garden"},
	{"son", "daughter", "farm"}, {"husband", "wife", "church"},
	{"uncle", "aunt", "cottage"}, {"nephew", "niece", "playground"},
	{"grandfather", "grandmother", "porch"}, {"actor", "actress", "theatre"},
	{"waiter", "waitress", "restaurant"}, {"monk", "nun", "monastery"},
	{"groom", "bride", "chapel"}, {"duke", "duchess", "manor"},
	{"emperor", "empress", "court"}, {"god", "goddess", "temple"},
}

// noun is a singular, its plural and the topic word the two share.
type noun struct{ singular, plural, topic string }

var nouns = []noun{
	{"dog", "dogs", "bone"}, {"cat", "cats", "mouse"},
	{"car", "cars", "road"}, {"tree", "trees", "forest"},
	{"book", "books", "library"}, {"horse", "horses", "stable"},
	{"ship", "ships", "harbour"}, {"bird", "birds", "nest"},
	{"apple", "apples", "orchard"}, {"flower", "flowers", "meadow"},
	{"bottle", "bottles", "cellar"}, {"chair", "chairs", "desk"},
	{"cloud", "clouds", "sky"}, {"window", "windows", "wall"},
	{"song", "songs", "radio"}, {"stone", "stones", "quarry"},
	{"river", "rivers", "valley"}, {"boat", "boats", "lake"},
	{"coin", "coins", "purse"}, {"lamp", "lamps", "ceiling"},
}

// profession is an occupation and how often the corpus says he (rather
// than she) of it: the planted bias.
type profession struct {
	name string
	he   float64
}

var professions = []profession{
	{"doctor", 0.85}, {"engineer", 0.85}, {"programmer", 0.9}, {"pilot", 0.8},
	{"carpenter", 0.9}, {"nurse", 0.15}, {"homemaker", 0.1}, {"receptionist", 0.2},
	{"dancer", 0.25}, {"secretary", 0.2}, {"teacher", 0.4}, {"writer", 0.5},
	{"lawyer", 0.6}, {"singer", 0.5},
}

// The templates of each family. Upper-case slots are filled per sentence:
// CAPITAL, COUNTRY, ADJ (country family); NOUN, PRON (he/she), POSS
// (his/her), OBJ (him/her), PLACE (gender family); DET, NOUN, BE, TOPIC
// (number family); PRON, JOB (profession family).
var (
	countryTemplates = []string{
		"CAPITAL is the capital of COUNTRY",
		"the capital of COUNTRY is CAPITAL",
		"CAPITAL is the largest city in COUNTRY",
		"the ADJ government meets in CAPITAL",
		"the people of COUNTRY speak ADJ",
		"many ADJ tourists visit CAPITAL",
		"the mayor of CAPITAL lives downtown",
		"the streets of CAPITAL are busy at night",
		"we took a train to the city of CAPITAL",
		"CAPITAL is a beautiful city",
		"COUNTRY is a beautiful country",
		"the borders of COUNTRY were closed",
		"the president of COUNTRY leads the nation",
		"the ADJ flag flies over COUNTRY",
	}
	genderTemplates = []string{
		"the NOUN lived in the PLACE",
		"the NOUN said that PRON was tired",
		"PRON is the NOUN of the PLACE",
		"the NOUN walked to the PLACE with POSS friend",
		"everyone at the PLACE liked the NOUN",
		"the NOUN smiled and PRON sang",
		"we met the NOUN and thanked OBJ",
		"the NOUN sent POSS letters from the PLACE",
	}
	numberTemplates = []string{
		"DET NOUN BE near the TOPIC",
		"i saw DET NOUN by the TOPIC",
		"DET NOUN BE old",
		"we found DET NOUN in the TOPIC",
		"DET NOUN BE painted red",
	}
	professionTemplates = []string{
		"PRON works as a JOB",
		"the JOB said that PRON was busy",
		"PRON wants to become a JOB",
		"PRON said that PRON was a JOB",
		"PRON packed POSS bag and PRON went to work as a JOB",
	}
	singularDets = []string{"a", "one", "this", "that", "the"}
	pluralDets   = []string{"many", "two", "three", "several", "these", "those", "some"}
)

// AnalogyRelations returns the corpus's planted relations with the section
// names of questions-words.txt: capital-common-countries (paris, france),
// family (king, queen) and gram8-plural (dog, dogs).
func AnalogyRelations() []Relation {
	var cc, fam, pl Relation
	cc.Name, fam.Name, pl.Name = "capital-common-countries", "family", "gram8-plural"
	for _, c := range countries {
		cc.Pairs = append(cc.Pairs, [2]string{c.capital, c.name})
	}
	for _, g := range genders {
		fam.Pairs = append(fam.Pairs, [2]string{g.male, g.female})
	}
	for _, n := range nouns {
		pl.Pairs = append(pl.Pairs, [2]string{n.singular, n.plural})
	}
	return []Relation{cc, fam, pl}
}

// AnalogyCorpus returns n sentences of the planted-analogy corpus drawn
// with rng: lower-case words separated by single spaces, one sentence per
// string. About 40% of the sentences are about countries, 25% about
// gendered nouns, 25% about singulars and plurals and 10% about
// professions. The same rng state gives the same sentences.
func AnalogyCorpus(n int, rng *rand.Rand) []string {
	if n < 0 {
		panic(fmt.Sprintf("data: %d sentences", n))
	}
	out := make([]string, n)
	words := make([]string, 0, 16)
	for i := range out {
		words = words[:0]
		switch r := rng.Float64(); {
		case r < 0.40:
			c := countries[rng.IntN(len(countries))]
			words = fill(words, pick(rng, countryTemplates), func(slot string) string {
				switch slot {
				case "CAPITAL":
					return c.capital
				case "COUNTRY":
					return c.name
				case "ADJ":
					return c.adj
				}
				return ""
			})
		case r < 0.65:
			g := genders[rng.IntN(len(genders))]
			female := rng.IntN(2) == 1
			words = fill(words, pick(rng, genderTemplates), func(slot string) string {
				switch slot {
				case "NOUN":
					return choose(female, g.female, g.male)
				case "PLACE":
					return g.place
				case "PRON":
					return choose(female, "she", "he")
				case "POSS":
					return choose(female, "her", "his")
				case "OBJ":
					return choose(female, "her", "him")
				}
				return ""
			})
		case r < 0.90:
			nn := nouns[rng.IntN(len(nouns))]
			plural := rng.IntN(2) == 1
			det := pick(rng, singularDets)
			if plural {
				det = pick(rng, pluralDets)
			}
			words = fill(words, pick(rng, numberTemplates), func(slot string) string {
				switch slot {
				case "DET":
					return det
				case "NOUN":
					return choose(plural, nn.plural, nn.singular)
				case "BE":
					if rng.IntN(2) == 0 {
						return choose(plural, "are", "is")
					}
					return choose(plural, "were", "was")
				case "TOPIC":
					return nn.topic
				}
				return ""
			})
		default:
			p := professions[rng.IntN(len(professions))]
			he := rng.Float64() < p.he
			words = fill(words, pick(rng, professionTemplates), func(slot string) string {
				switch slot {
				case "PRON":
					return choose(he, "he", "she")
				case "JOB":
					return p.name
				case "POSS":
					return choose(he, "his", "her")
				}
				return ""
			})
		}
		out[i] = strings.Join(words, " ")
	}
	return out
}

// fill appends the words of template to dst, replacing each upper-case
// slot by slot(name).
func fill(dst []string, template string, slot func(string) string) []string {
	for _, w := range strings.Fields(template) {
		if strings.ToUpper(w) == w && strings.ToLower(w) != w {
			v := slot(w)
			if v == "" {
				panic(fmt.Sprintf("data: template %q has an unknown slot %s", template, w))
			}
			w = v
		}
		dst = append(dst, w)
	}
	return dst
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

func choose(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
