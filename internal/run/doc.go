// Package run keeps the record of one experiment: its run directory
// (config.json with every flag, log.txt, the long-form metrics.csv with
// header step,wall_s,key,value, curves.png), a progress reporter (a bar on a
// terminal, plain lines otherwise, nothing with --quiet), and the Ctrl-C
// handling that lets a training loop save a checkpoint before it exits.
//
// A run directory is named <experiment>__<env or data>__<seed>__<unixtime>
// under runs/ unless --out names it. Metric keys follow CleanRL:
// charts/episodic_return, losses/td_loss, eval/mean_return, val/accuracy.
package run
