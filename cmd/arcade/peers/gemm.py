# OpenBLAS's SGEMM through numpy: C = A @ B on float32 C-contiguous
# matrices for each shape "MxKxN" given as an argument, at the thread count
# arcade sets (OPENBLAS_NUM_THREADS). Prints the median milliseconds of
# each product (at least 5 calls and 0.2 s, after one warm-up call, as
# arcade's timeMS), with numpy's and OpenBLAS's versions and the OpenBLAS
# kernel ("core") that ran.
#
# OpenBLAS 0.3.21 picks its kernels from the CPU model at load time. CPUs
# newer than the library (e.g. Intel family 6 model 207) fall back to its
# generic SSE3 "Prescott" kernel, several times slower than the library's
# AVX-512 one; this script then loads OpenBLAS with the kernel for the
# CPU's instruction set (SkylakeX for AVX-512, Haswell for AVX2 and FMA),
# and says so in "autodetected".
import ctypes
import json
import os
import subprocess
import sys
import time

# The cores OpenBLAS 0.3.21 falls back to on a CPU it does not know.
GENERIC = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine",
           "Northwood", "Banias", "Opteron", "Barcelona", "Unknown"}
PROBE = ("import numpy, ctypes; lib = ctypes.CDLL('libblas.so.3'); "
         "lib.openblas_get_corename.restype = ctypes.c_char_p; print(lib.openblas_get_corename().decode())")


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


autodetected = None
if "OPENBLAS_CORETYPE" not in os.environ:
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    autodetected = probe.stdout.strip() if probe.returncode == 0 else None
    flags = cpu_flags()
    if autodetected in GENERIC:
        if "avx512f" in flags:
            os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
        elif "avx2" in flags and "fma" in flags:
            os.environ["OPENBLAS_CORETYPE"] = "Haswell"

import numpy as np  # noqa: E402  (after OPENBLAS_CORETYPE is decided)

try:
    lib = ctypes.CDLL("libblas.so.3")
    lib.openblas_get_corename.restype = ctypes.c_char_p
    lib.openblas_get_config.restype = ctypes.c_char_p
    core = lib.openblas_get_corename().decode()
    version = lib.openblas_get_config().decode().split()[1]
except (OSError, AttributeError):
    sys.exit("numpy's BLAS is not OpenBLAS (apt-get install libopenblas0-pthread)")


def time_ms(fn):
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < 0.2 and len(times) < 1000):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2]


rng = np.random.default_rng(1)
ms = {}
for shape in sys.argv[1:]:
    m, k, n = (int(x) for x in shape.split("x"))
    a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    ms[shape] = time_ms(lambda: np.matmul(a, b, out=c))
print(json.dumps({"ms": ms, "numpy": np.__version__, "openblas": version, "core": core,
                  "autodetected": autodetected}))
