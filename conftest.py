"""Repository-level pytest settings.

derivations/ is the package grpo_sym.derivations; collecting its files directly
would import them a second time under the name ``derivations`` and register
every claim twice.  Its claims are checked through the registry
(tests/test_derivations.py), so pytest does not collect it.
"""
collect_ignore = ["derivations", "notebooks", "benchmarks", "build"]
