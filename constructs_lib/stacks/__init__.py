"""Stacks and apps: the service stack, the bootstrap stack, the app builder, remote state readers, and the
outdir writer that owns exactly what synth writes.
"""
