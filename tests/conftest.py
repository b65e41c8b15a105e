"""Suite-wide settings: property tests draw the same examples on every machine and every run."""

from hypothesis import settings

# A red run must be reproducible from a clean checkout: no example database, fixed derivation.
settings.register_profile("glassnet", derandomize=True, database=None, deadline=None)
settings.load_profile("glassnet")
