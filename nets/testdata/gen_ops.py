# Generates nets/testdata/ops.json: forward values and input gradients of
# activations, losses and a few ops as PyTorch (torch 1.13, CPU, float32)
# computes them, for nets' tests to compare against. Each case holds its
# inputs, the upstream gradient dy, the output y and the gradients of the
# inputs that need one. Run once with Debian's python3 (python3-torch):
#
#   /usr/bin/python3 nets/testdata/gen_ops.py > nets/testdata/ops.json
import json

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def case(name, fn, inputs, grad_of, **args):
    xs = {k: v.clone().requires_grad_(k in grad_of) for k, v in inputs.items()}
    y = fn(**xs)
    dy = torch.randn(y.shape)
    y.backward(dy)
    return dict(name=name, args=args,
                inputs={k: dict(shape=list(v.shape), data=v.flatten().tolist()) for k, v in inputs.items()},
                dy=dy.flatten().tolist(), shape=list(y.shape), y=y.detach().flatten().tolist(),
                grads={k: xs[k].grad.flatten().tolist() for k in grad_of})


x = torch.randn(4, 5) * 3
x[0, 0], x[1, 1] = 40.0, -40.0  # far into the tails: stability
prob = torch.rand(4, 5) * 0.98 + 0.01
prob[2, 2] = 0.0  # log clamped at -100
target = torch.randn(4, 5)
bits = (torch.rand(4, 5) > 0.5).float()
labels = torch.tensor([0, 4, 2, 1])
mu, logvar = torch.randn(4, 3), torch.randn(4, 3)
w, b = torch.randn(3, 5), torch.randn(3)

cases = [
    case("relu", lambda x: F.relu(x), dict(x=x), ["x"]),
    case("leaky_relu", lambda x: F.leaky_relu(x, 0.1), dict(x=x), ["x"], slope=0.1),
    case("sigmoid", lambda x: torch.sigmoid(x), dict(x=x), ["x"]),
    case("tanh", lambda x: torch.tanh(x), dict(x=x), ["x"]),
    case("softmax", lambda x: torch.softmax(x, -1), dict(x=x), ["x"]),
    case("log_softmax", lambda x: torch.log_softmax(x, -1), dict(x=x), ["x"]),
    case("exp", lambda x: torch.exp(x / 10), dict(x=x), ["x"]),
    case("log", lambda x: torch.log(x), dict(x=prob[:2]), ["x"]),
    case("sqrt", lambda x: torch.sqrt(x), dict(x=prob[:2]), ["x"]),
    case("clamp", lambda x: torch.clamp(x, -1, 2), dict(x=x), ["x"], lo=-1.0, hi=2.0),
    case("linear", lambda x, w, b: F.linear(x, w, b), dict(x=x, w=w, b=b), ["x", "w", "b"]),
    case("gather", lambda x: x.gather(1, labels.unsqueeze(1)).squeeze(1), dict(x=x), ["x"], idx=labels.tolist()),
    case("max", lambda x: x.max(dim=1).values, dict(x=x), ["x"]),
]
for red in ["mean", "sum", "none"]:
    cases += [
        case("mse", lambda p, t: F.mse_loss(p, t, reduction=red), dict(p=x, t=target), ["p", "t"], reduction=red),
        case("l1", lambda p, t: F.l1_loss(p, t, reduction=red), dict(p=x, t=target), ["p", "t"], reduction=red),
        case("huber", lambda p, t: F.huber_loss(p, t, reduction=red, delta=0.5), dict(p=x, t=target), ["p", "t"], reduction=red, delta=0.5),
        case("bce", lambda p, t: F.binary_cross_entropy(p, t, reduction=red), dict(p=prob, t=bits), ["p"], reduction=red),
        case("bce_with_logits", lambda p, t: F.binary_cross_entropy_with_logits(p, t, reduction=red), dict(p=x, t=bits), ["p", "t"], reduction=red),
        case("cross_entropy", lambda x: F.cross_entropy(x, labels, reduction=red), dict(x=x), ["x"], reduction=red, labels=labels.tolist()),
    ]
    # KL(N(mu, e^logvar) || N(0, I)) summed over the latent axis, then reduced over rows.
    kl = lambda mu, lv: -0.5 * (1 + lv - mu.pow(2) - lv.exp()).sum(-1)
    red_fn = dict(mean=lambda v: v.mean(), sum=lambda v: v.sum(), none=lambda v: v)[red]
    cases.append(case("gaussian_kl", lambda mu, lv: red_fn(kl(mu, lv)), dict(mu=mu, lv=logvar), ["mu", "lv"], reduction=red))

print(json.dumps(dict(torch=torch.__version__, cases=cases)))
