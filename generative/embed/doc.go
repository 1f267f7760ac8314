// Package embed learns word embeddings from a text corpus in four ways and
// evaluates them, after the word-embedding chapter of the syllabus:
//
//   - sgns: skip-gram with negative sampling (Mikolov et al., "Distributed
//     Representations of Words and Phrases and their Compositionality",
//     2013): each word predicts the words of a window around it, shrunk at
//     random; K negatives are drawn from the unigram distribution raised to
//     3/4; frequent words are subsampled; the learning rate decays linearly.
//   - hs: skip-gram with hierarchical softmax (the same paper, after Morin
//     and Bengio, 2005): the output layer is a Huffman tree, so a word costs
//     about log2|V| sigmoid units instead of |V| softmax units.
//   - lm: the neural language-model way (Bengio et al., 2003, in the
//     continuous-bag-of-words form of Mikolov et al., 2013): the mean of the
//     context words' vectors predicts the middle word through a full softmax
//     over the vocabulary, the cost negative sampling avoids.
//   - glove: GloVe (Pennington et al., "GloVe: Global Vectors for Word
//     Representation", 2014): weighted least squares on the logarithm of the
//     global co-occurrence counts, weighted by f(x) = min(1, (x/x_max)^alpha),
//     trained with AdaGrad; the embedding is W + W~.
//
// Evaluation: nearest neighbours by cosine similarity and by Euclidean
// distance, the analogy test a : b :: c : ? by 3CosAdd over unit vectors
// (the three query words excluded) on questions in the format of
// questions-words.txt, t-SNE (van der Maaten and Hinton, 2008) to draw
// chosen words in two dimensions, and the hard debiasing of Bolukbasi et
// al. ("Man is to Computer Programmer as Woman is to Homemaker?", 2016):
// a bias axis from definitional pairs, neutralize, equalize.
//
// Determinism: every random draw comes from a math/rand/v2 generator seeded
// from the model's seed and the epoch, so a run resumed at an epoch
// boundary continues with the same draws. sgns, hs and glove train with
// sequential SGD on one thread (Hogwild-style threads would make the result
// depend on scheduling); lm's matrix products and the evaluations run on
// internal/par in fixed partitions. The same seed gives the same bytes at
// any thread count.
package embed
