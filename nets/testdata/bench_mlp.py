# Times PyTorch (Debian's python3-torch, CPU, float32) on the training step
# of nets' BenchmarkMLPStep: a 784-512-256-10 ReLU MLP with dropout 0.2,
# cross-entropy and Adam at batch 128 on fixed random data, at 1 and 2
# threads, and prints one JSON line per thread count: ms per step and per
# epoch of MNIST's 60,000 images (469 steps). BENCHMARKS.md quotes it.
#
#   /usr/bin/python3 nets/testdata/bench_mlp.py
import json
import time

import torch

STEPS_PER_EPOCH = 469  # ceil(60000 / 128)

for threads in (1, 2):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x, y = torch.rand(128, 784), torch.randint(0, 10, (128,))

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    for _ in range(20):
        step()
    best = float("inf")
    for _ in range(5):  # the best of 5 rounds of 50 steps
        t = time.perf_counter()
        for _ in range(50):
            step()
        best = min(best, (time.perf_counter() - t) / 50)
    print(json.dumps(dict(peer="pytorch-" + torch.__version__, threads=threads,
                          ms_per_step=best * 1e3, s_per_epoch=best * STEPS_PER_EPOCH)))
