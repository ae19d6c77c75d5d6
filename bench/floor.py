"""The floor of any synth with the prebuilt AWS provider: import cdktf and load the provider's jsii assembly.

Nothing else: no provider resource module, no construct, no synth. The provider package is registered in
`sys.modules` without running its `__init__` (which would import ~1,500 resource submodules), then only its
`_jsii` module is imported, which loads the assembly into the jsii Node process.

With `--fast-kernel` the same, started the way our CLI starts the kernel (constructs_lib/_jsii/fast_kernel.py:
pipelined loads and the code cache), then one call that waits for the loads: the part of a synth that is not
the library's own work.
"""

import contextlib
import importlib
import importlib.util
import sys

fast = "--fast-kernel" in sys.argv[1:]
if fast:
    from constructs_lib._jsii.fast_kernel import fast_kernel_start

with fast_kernel_start() if fast else contextlib.nullcontext():
    import cdktf  # noqa: F401

    _PACKAGE = "cdktf_cdktf_provider_aws"
    spec = importlib.util.find_spec(_PACKAGE)
    package = importlib.util.module_from_spec(spec)
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules[_PACKAGE] = package
    importlib.import_module(f"{_PACKAGE}._jsii")

if fast:
    import jsii

    jsii.kernel.stats()  # the first call that is not a load: waits for the pipelined loads
