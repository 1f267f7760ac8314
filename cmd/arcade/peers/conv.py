# PyTorch's times for arcade bench conv's networks, built as arcade builds
# them (cmd/arcade/bench_conv.go): the DQN Nature network on 32 stacks of
# 4x84x84 frames, the small-grid DQN network on 32 grids of 4x10x10, and
# LeNet-5 on 64 digits of 1x28x28. For each, the forward pass (no_grad) and
# the forward and backward passes (y.backward(dy), the parameters'
# gradients accumulating, no optimizer step), at the thread count arcade
# sets (OMP_NUM_THREADS, torch.set_num_threads). Prints the median
# milliseconds of at least 11 calls and 0.2 s, after one warm-up call, as
# arcade's timeMS does, and torch's version.
import json
import os
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
torch.manual_seed(0)


def nature():
    return nn.Sequential(
        nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(),
        nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
        nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(), nn.Flatten(),
        nn.Linear(3136, 512), nn.ReLU(), nn.Linear(512, 6)), (32, 4, 84, 84)


def smallgrid():
    return nn.Sequential(
        nn.Conv2d(4, 16, 3, stride=1), nn.ReLU(), nn.Flatten(),
        nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 6)), (32, 4, 10, 10)


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)), (64, 1, 28, 28)


def time_ms(fn, runs=11):
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < runs or (time.perf_counter() - start < 0.2 and len(times) < 1000):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


nets = {"nature": nature, "smallgrid": smallgrid, "lenet5": lenet5}
ms = {}
for name in sys.argv[1:]:
    net, shape = nets[name]()
    x = torch.rand(*shape)
    with torch.no_grad():
        dy = torch.randn(net(x).shape)

    def forward():
        with torch.no_grad():
            net(x)

    def forward_backward():
        net(x).backward(dy)

    ms[name + "/forward"] = time_ms(forward)
    ms[name + "/forward+backward"] = time_ms(forward_backward)
print(json.dumps({"ms": ms, "torch": torch.__version__, "threads": torch.get_num_threads()}))
