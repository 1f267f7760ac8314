"""Reference trajectories of Gymnasium's CartPole-v1 step, for cartpole_test.go.

Gymnasium is not installed here, so this script re-derives its step from the
equations of gymnasium/envs/classic_control/cartpole.py (explicit Euler, in
float64 through Python's float and math.sin/cos) and prints JSON:

    /usr/bin/python3 envs/testdata/gen_cartpole.py > envs/testdata/cartpole_steps.json
"""
import json
import math

gravity = 9.8
masscart = 1.0
masspole = 0.1
total_mass = masspole + masscart
length = 0.5  # half the pole's length
polemass_length = masspole * length
force_mag = 10.0
tau = 0.02
theta_threshold_radians = 12 * 2 * math.pi / 360
x_threshold = 2.4


def step(state, action):
    x, x_dot, theta, theta_dot = state
    force = force_mag if action == 1 else -force_mag
    costheta = math.cos(theta)
    sintheta = math.sin(theta)
    temp = (force + polemass_length * theta_dot**2 * sintheta) / total_mass
    thetaacc = (gravity * sintheta - costheta * temp) / (
        length * (4.0 / 3.0 - masspole * costheta**2 / total_mass)
    )
    xacc = temp - polemass_length * thetaacc * costheta / total_mass
    x = x + tau * x_dot
    x_dot = x_dot + tau * xacc
    theta = theta + tau * theta_dot
    theta_dot = theta_dot + tau * thetaacc
    terminated = bool(
        x < -x_threshold
        or x > x_threshold
        or theta < -theta_threshold_radians
        or theta > theta_threshold_radians
    )
    return [x, x_dot, theta, theta_dot], terminated


cases = [
    {"start": [0.01, -0.02, 0.03, 0.04], "actions": [1, 0, 1, 1, 0, 0, 1, 0, 1, 1]},
    {"start": [0.0, 0.0, 0.0, 0.0], "actions": [1] * 9},  # the pole passes -12 degrees at step 9,
    {"start": [-0.049, 0.031, -0.022, 0.047], "actions": [0, 0, 0, 1, 1, 1, 0, 1]},
    {"start": [1.5, 1.2, 0.15, -0.4], "actions": [1, 1, 0, 1, 0, 1]},
    # goes on: 2.39 + 0.02*0.5 is 2.4 exactly in float64, and only x > 2.4 ends
    {"start": [2.39, 0.5, 0.0, 0.0], "actions": [1]},
    # ends: the cart crosses x = 2.4
    {"start": [2.395, 0.5, 0.0, 0.0], "actions": [1]},
    # ends: the pole passes 12 degrees
    {"start": [0.0, 0.0, 0.2, 1.0], "actions": [0]},
]
for c in cases:
    s = list(c["start"])
    c["states"], c["terminated"] = [], []
    for a in c["actions"]:
        s, done = step(s, a)
        c["states"].append(s)
        c["terminated"].append(done)
print(json.dumps({"theta_threshold_radians": theta_threshold_radians, "cases": cases}, indent=1))
