# Generates nets/testdata/conv.json: outputs and gradients of the conv
# core's ops as PyTorch (torch 1.13, CPU, float32) computes them, for nets'
# tests to compare against (conv_torch_test.go): conv2d with strides,
# paddings (explicit and "same", even kernels included), dilations and 1x1
# kernels; conv_transpose2d with output padding; max and average pooling;
# global average pooling; nearest upsampling; batch norm over features and
# over channels in training mode (the running statistics after the step
# included) and in evaluation mode. Each case holds its inputs, the
# upstream gradient dy, the output y and the gradients of the inputs that
# need one. Run once with Debian's python3 (python3-torch):
#
#   /usr/bin/python3 nets/testdata/gen_conv.py > nets/testdata/conv.json
import json

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def flat(t):
    return t.detach().flatten().tolist()


def case(name, fn, inputs, grad_of, **args):
    xs = {k: v.clone().requires_grad_(k in grad_of) for k, v in inputs.items()}
    y = fn(**xs)
    dy = torch.randn(y.shape)
    y.backward(dy)
    return dict(name=name, args=args,
                inputs={k: dict(shape=list(v.shape), data=flat(v)) for k, v in inputs.items()},
                dy=flat(dy), shape=list(y.shape), y=flat(y),
                grads={k: flat(xs[k].grad) for k in grad_of})


def pair(v):
    return list(v) if isinstance(v, tuple) else [v, v]


cases = []
for xs, ws, stride, padding, dilation, bias in [
    ((2, 3, 7, 8), (4, 3, 3, 3), 1, 0, 1, True),
    ((2, 3, 7, 8), (4, 3, 3, 3), 2, 1, 1, True),
    ((2, 3, 9, 8), (5, 3, 3, 2), (2, 1), (1, 2), (2, 1), True),
    ((2, 3, 7, 6), (2, 3, 4, 2), 1, "same", 1, True),
    ((1, 2, 8, 7), (3, 2, 3, 4), 1, "same", (2, 1), False),
    ((2, 5, 6, 6), (4, 5, 1, 1), 1, 0, 1, True),
    ((1, 4, 16, 16), (4, 4, 8, 8), 4, 0, 1, True),
    ((2, 3, 10, 9), (4, 3, 5, 5), 2, 2, 1, False),
]:
    x, w = torch.randn(*xs), torch.randn(*ws) * 0.3
    inputs = dict(x=x, w=w)
    if bias:
        inputs["b"] = torch.randn(ws[0])
    pad = padding if padding == "same" else pair(padding)
    cases.append(case("conv2d", lambda x, w, b=None: F.conv2d(x, w, b, stride, padding, dilation), inputs, list(inputs),
                      stride=pair(stride), padding=pad, dilation=pair(dilation)))

for xs, ws, stride, padding, out_pad, dilation, bias in [
    ((2, 3, 4, 5), (3, 2, 3, 3), 1, 0, 0, 1, True),
    ((2, 4, 5, 4), (4, 3, 4, 4), 2, 1, 1, 1, True),
    ((1, 3, 4, 3), (3, 2, 3, 2), (3, 2), (0, 1), (2, 1), (1, 2), False),
]:
    x, w = torch.randn(*xs), torch.randn(*ws) * 0.3
    inputs = dict(x=x, w=w)
    if bias:
        inputs["b"] = torch.randn(ws[1])
    cases.append(case("conv_transpose2d", lambda x, w, b=None: F.conv_transpose2d(x, w, b, stride, padding, out_pad, 1, dilation),
                      inputs, list(inputs), stride=pair(stride), padding=pair(padding), output_padding=pair(out_pad), dilation=pair(dilation)))

x = torch.randn(2, 3, 7, 8)
for size, stride, padding in [(2, 2, 0), (3, 2, 1), (3, 1, 1), (4, 3, 2)]:
    cases.append(case("max_pool2d", lambda x: F.max_pool2d(x, size, stride, padding), dict(x=x), ["x"], size=size, stride=stride, padding=padding))
    cases.append(case("avg_pool2d", lambda x: F.avg_pool2d(x, size, stride, padding), dict(x=x), ["x"], size=size, stride=stride, padding=padding))
cases.append(case("global_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, 1).flatten(1), dict(x=x), ["x"]))
cases.append(case("upsample_nearest2d", lambda x: F.interpolate(x, scale_factor=2, mode="nearest"), dict(x=x), ["x"], scale=2))

for shape in [(6, 4), (4, 3, 5, 6)]:
    c = shape[1]
    x = torch.randn(*shape) * 2 + 0.5
    gamma, beta = torch.rand(c) + 0.5, torch.randn(c)
    for train in [True, False]:
        rm, rv = torch.randn(c) * 0.1, torch.rand(c) + 0.5
        run_m, run_v = rm.clone(), rv.clone()
        momentum, eps = 0.1, 1e-5
        cs = case("batch_norm", lambda x, gamma, beta: F.batch_norm(x, run_m, run_v, gamma, beta, train, momentum, eps),
                  dict(x=x, gamma=gamma, beta=beta), ["x", "gamma", "beta"], train=train, momentum=momentum, eps=eps,
                  running_mean=flat(rm), running_var=flat(rv))
        cs["args"]["running_mean_after"], cs["args"]["running_var_after"] = flat(run_m), flat(run_v)
        cases.append(cs)

print(json.dumps(dict(torch=torch.__version__, cases=cases)))
