// Package img turns plain numbers into pictures with the standard library
// alone: grids of images (samples, reconstructions, filters, frames),
// heatmaps with a perceptual colour map, nearest-neighbour scaling that keeps
// pixels sharp, and animated GIFs of episodes. It imports nothing of
// arcade's; callers pass slices and write the result where they like.
//
// Pixel data is float32 in NCHW order (N images of C channels, H rows, W
// columns), values in [0, 1] unless GridOptions.Normalize asks for each
// image to be stretched to its own min and max.
package img
