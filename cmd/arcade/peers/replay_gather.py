# The numpy way to sample a replay batch of frame stacks: fancy-indexing
# gathers of [B, 4] frame indices from a [capacity, 84, 84] uint8 array,
# for the observations and the next observations, scaled to float32 by
# 1/255 into preallocated arrays. No episode boundaries are handled (the
# Go buffer does that too). Prints the median milliseconds of one batch.
import json
import sys
import time

import numpy as np

capacity, batch = int(sys.argv[1]), int(sys.argv[2])
frames = np.empty((capacity, 84, 84), dtype=np.uint8)
frames[:] = (np.arange(capacity) % 251).astype(np.uint8)[:, None, None]
rng = np.random.default_rng(1)
offsets = np.arange(-3, 1)
obs = np.empty((batch, 4, 84, 84), dtype=np.float32)
nxt = np.empty((batch, 4, 84, 84), dtype=np.float32)
scale = np.float32(1 / 255)


def sample():
    idx = rng.integers(3, capacity - 1, size=batch)[:, None] + offsets
    np.multiply(frames[idx], scale, out=obs)
    np.multiply(frames[idx + 1], scale, out=nxt)


sample()
times = []
start = time.perf_counter()
while len(times) < 20 or (time.perf_counter() - start < 0.2 and len(times) < 1000):
    t0 = time.perf_counter()
    sample()
    times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "numpy": np.__version__}))
