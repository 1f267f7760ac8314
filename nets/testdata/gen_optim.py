# Generates nets/testdata/optim.json: the parameters that PyTorch's
# optimizers (torch 1.13, CPU, float32, single-tensor path) produce over 10
# steps from fixed parameters and gradients, and the learning rates of its
# schedulers. Run once with Debian's python3 (python3-torch):
#
#   /usr/bin/python3 nets/testdata/gen_optim.py > nets/testdata/optim.json
import json

import torch

torch.manual_seed(0)
SHAPES = [(3, 4), (5,)]
STEPS = 10
params0 = [torch.randn(s) for s in SHAPES]
grads = [[torch.randn(s) for s in SHAPES] for _ in range(STEPS)]

CASES = [
    ("sgd", "SGD", dict(lr=0.1)),
    ("sgd_weight_decay", "SGD", dict(lr=0.1, weight_decay=0.01)),
    ("momentum", "SGD", dict(lr=0.05, momentum=0.9)),
    ("momentum_dampening_decay", "SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001)),
    ("rmsprop", "RMSprop", dict(lr=0.01)),
    ("rmsprop_momentum_decay", "RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.9, weight_decay=0.01)),
    ("rmsprop_centered", "RMSprop", dict(lr=0.01, centered=True)),
    ("rmsprop_centered_momentum", "RMSprop", dict(lr=0.001, alpha=0.95, eps=1e-6, centered=True, momentum=0.5)),
    ("adam", "Adam", dict(lr=0.001)),
    ("adam_weight_decay", "Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.01)),
    ("adam_amsgrad", "Adam", dict(lr=0.01, amsgrad=True)),
    ("adamw", "AdamW", dict(lr=0.01)),
    ("adamw_amsgrad", "AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
]


def flat(ts):
    return [t.flatten().tolist() for t in ts]


cases = []
for name, kind, cfg in CASES:
    ps = [p.clone().requires_grad_(True) for p in params0]
    if kind != "SGD":
        cfg = dict(cfg, foreach=False)
    opt = getattr(torch.optim, kind)(ps, **cfg)
    expected = []
    for step in range(STEPS):
        for p, g in zip(ps, grads[step]):
            p.grad = g.clone()
        opt.step()
        expected.append(flat([p.detach() for p in ps]))
    if "betas" in cfg:
        cfg["betas"] = list(cfg["betas"])
    cfg.pop("foreach", None)
    cases.append(dict(name=name, optimizer=kind, config=cfg, expected=expected))


def lrs(make):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(opt)
    out = []
    for _ in range(11):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return out


S = torch.optim.lr_scheduler
schedules = dict(
    step=lrs(lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
    exponential=lrs(lambda o: S.ExponentialLR(o, gamma=0.9)),
    inverse_time=lrs(lambda o: S.LambdaLR(o, lambda e: 1 / (1 + 0.5 * e))),
    cosine=lrs(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    warmup_cosine=lrs(lambda o: S.ChainedScheduler([S.LinearLR(o, start_factor=0.25, total_iters=4), S.CosineAnnealingLR(o, T_max=10)])),
)

print(json.dumps(dict(torch=torch.__version__, shapes=SHAPES, params0=flat(params0),
                      grads=[flat(g) for g in grads], cases=cases, schedules=schedules), indent=1))
