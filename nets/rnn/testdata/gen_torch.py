# Generates nets/rnn/testdata/torch.json: forward outputs, final states and
# every gradient of PyTorch's nn.RNN, nn.GRU and nn.LSTM (torch 1.13, CPU,
# float32, batch_first=False) on random weights and inputs, for the Go
# tests to run the same computation on the same weights. Each case holds
# the configuration, the inputs (x [T, B, In], h0 and c0 [L*D, B, H] or
# none), the lengths of a packed batch (or none), the parameters under
# PyTorch's names, upstream gradients dy, dh and dc (the loss is
# sum(y*dy) + sum(h_n*dh) + sum(c_n*dc)), the outputs and the gradients of
# the inputs and parameters. Run once with Debian's python3:
#
#   /usr/bin/python3 nets/rnn/testdata/gen_torch.py > nets/rnn/testdata/torch.json
import json

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(0)


def flat(t):
    return t.detach().flatten().tolist()


def case(name, cls, layers, bidirectional, T, B, In, H, lengths=None, init=True):
    m = cls(In, H, num_layers=layers, bidirectional=bidirectional)
    D = 2 if bidirectional else 1
    x = torch.randn(T, B, In, requires_grad=True)
    lstm = cls is nn.LSTM
    h0 = (torch.randn(layers * D, B, H) * 0.5).requires_grad_() if init else None
    c0 = (torch.randn(layers * D, B, H) * 0.5).requires_grad_() if init and lstm else None
    state = None
    if init:
        state = (h0, c0) if lstm else h0
    inp = x if lengths is None else pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    y, hn = m(inp, state)
    if lengths is not None:
        y, _ = pad_packed_sequence(y, total_length=T)
    hn, cn = hn if lstm else (hn, None)
    dy, dh = torch.randn(y.shape), torch.randn(hn.shape)
    loss = (y * dy).sum() + (hn * dh).sum()
    dc = None
    if lstm:
        dc = torch.randn(cn.shape)
        loss = loss + (cn * dc).sum()
    loss.backward()
    out = dict(name=name, kind={nn.RNN: "rnn", nn.GRU: "gru", nn.LSTM: "lstm"}[cls], layers=layers,
               bidirectional=bidirectional, T=T, B=B, In=In, H=H, lengths=lengths,
               x=flat(x), params={k: flat(p) for k, p in m.named_parameters()},
               dy=flat(dy), dh=flat(dh), y=flat(y), h_n=flat(hn),
               grads={k: flat(p.grad) for k, p in m.named_parameters()})
    out["grads"]["x"] = flat(x.grad)
    if init:
        out["h0"], out["grads"]["h0"] = flat(h0), flat(h0.grad)
    if lstm:
        out["dc"], out["c_n"] = flat(dc), flat(cn)
        if init:
            out["c0"], out["grads"]["c0"] = flat(c0), flat(c0.grad)
    return out


cases = [
    case("rnn_2layers_bidirectional", nn.RNN, 2, True, 5, 3, 4, 3),
    case("rnn_packed", nn.RNN, 1, False, 5, 3, 4, 3, lengths=[3, 5, 1]),
    case("gru_2layers_bidirectional_packed", nn.GRU, 2, True, 5, 3, 4, 3, lengths=[3, 5, 1]),
    case("gru_zero_state", nn.GRU, 1, False, 6, 2, 3, 4, init=False),
    case("lstm_2layers_bidirectional_packed", nn.LSTM, 2, True, 5, 3, 4, 3, lengths=[3, 5, 1]),
    case("lstm_3layers", nn.LSTM, 3, False, 7, 2, 5, 4),
    case("lstm_zero_state_bidirectional", nn.LSTM, 1, True, 4, 2, 3, 5, init=False),
]
print(json.dumps(dict(torch=torch.__version__, cases=cases)))
