// Package window is arcade's Ebiten viewer: the only package that links
// Ebiten (whose package init opens the display), used by the arcade-view
// binary alone. Its tests need a display; make test runs them under
// xvfb-run.
//
// Watch shows a trained agent playing (arcade watch RUN): the env's
// picture scaled up with sharp pixels and a side panel with the Q-value of
// each action as a bar (the chosen action highlighted), the current and
// last game's return, the step, epsilon, the observation the network
// receives (stacked frames side by side, the 0/1 channels of grid games
// each in its own colour, vectors as bars with their numbers) and a line of
// help; over a FrozenLake, the state values as a heatmap and the greedy
// actions as arrows. Its game i is the evaluation episode i of arcade
// eval, step for step. Play lets a person play any env (arcade play ENV):
// the arrow keys and space (FIRE) choose the env's actions by name, at the
// env's natural speed. Run opens the window for either.
//
// Games follow Ebiten's split: Update advances state and reads the keys,
// Draw only reads state, Layout fixes the logical screen size. Both games
// advance in updates (60 a second), never by the clock: one agent step
// every few updates, or several steps an update when fast-forwarding, so
// the same seed and the same keys give the same game. Keys come through
// the Input interface, so that tests press them without a keyboard. Space
// pauses Watch (P pauses Play), the right arrow steps a paused Watch once,
// + and - change the speed, R starts the next game, S writes a screenshot
// of the window (PNG), G starts and stops a GIF of the game's picture (one
// frame per step), Tab hides the panel, Esc or Q quits.
package window
