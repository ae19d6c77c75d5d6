"""One AWS concern each (cluster, load balancer, task definition, ...): the building blocks `patterns` composes.

No stack and no env file here: a construct gets what it builds from its caller.
"""
