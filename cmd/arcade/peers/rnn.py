# PyTorch's nn.LSTM on arcade bench rnn's workload: one layer of H hidden
# units over T steps of a batch of B inputs of In features (time first),
# forward and backward from the outputs with a fixed upstream gradient, no
# input gradient, the parameters' gradients accumulating as in arcade's
# loop. Arguments: T B In H. Prints the median milliseconds of one
# forward+backward (at least 11 calls and 0.2 s, after one warm-up call, as
# arcade's timeMS) with torch's version and thread count.
import json
import os
import sys
import time

import torch

torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
T, B, In, H = (int(v) for v in sys.argv[1:5])
torch.manual_seed(1)
lstm = torch.nn.LSTM(In, H)
x = torch.randn(T, B, In)
dy = torch.randn(T, B, H)


def step():
    y, _ = lstm(x)
    y.backward(dy)


step()
times = []
start = time.perf_counter()
while len(times) < 11 or (time.perf_counter() - start < 0.2 and len(times) < 1000):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "torch": torch.__version__.split("a")[0],
                  "threads": torch.get_num_threads()}))
