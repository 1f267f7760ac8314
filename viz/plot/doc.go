// Package plot draws arcade's headless charts as PNG with gonum/plot:
// learning curves (one run raw and smoothed, several runs as their mean
// with a min-max band), labelled heatmaps (attention maps, confusion
// matrices), line charts and labelled scatter plots (t-SNE). It takes plain
// numbers and imports nothing of arcade's; internal/run reads metrics.csv
// and hands the curves over.
package plot
