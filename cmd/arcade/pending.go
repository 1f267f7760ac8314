package main

// The commands below parse their flags (so --help works and a typo is
// caught) and say they are not built yet; the issues that build agents,
// generative models, envs and kernels replace them.
