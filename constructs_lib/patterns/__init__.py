"""Compositions of constructs: the web service (`EcsFargateService`), the ECSBuilder, and the permissions and
secrets a service's config implies.
"""
