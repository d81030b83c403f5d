"""Reference data and validators: divisions, minimum wages, pay checks, taxonomy, USCC.

Pure Python with no Django imports, so models, forms, services and commands can all use it.
"""
