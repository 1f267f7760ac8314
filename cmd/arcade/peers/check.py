# Reports the peer libraries' versions as JSON; arcade's tests use it to
# check the peer plumbing.
import json
import sys

out = {"python": sys.version.split()[0]}
try:
    import numpy
    out["numpy"] = numpy.__version__
except ImportError:
    pass
try:
    import torch
    out["torch"] = torch.__version__
    out["torch_threads"] = torch.get_num_threads()
except ImportError:
    pass
print(json.dumps(out))
