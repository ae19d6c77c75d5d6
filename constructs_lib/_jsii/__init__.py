"""Everything that reaches into jsii or cdktf internals, and the Terraform-string helpers beside them.

The lazy provider import (aws.py, the one module that provides AWS provider classes), the fast kernel start and
binding checks (fast_kernel.py, fast_bindings.py; fast.py is the one switch that turns them off), addressing,
embedded JSON, literal user data and HCL output. Private: the public API is the package's top-level names.
"""
