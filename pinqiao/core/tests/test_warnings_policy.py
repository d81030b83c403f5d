"""A warning raised from the project's code fails the test (pyproject ``filterwarnings`` and
``settings/test.py``), so warnings cannot pile up again; other packages' warnings are not
turned into errors."""

import warnings

import pytest


def _warn_from(module: str, category: type[Warning] = UserWarning) -> None:
    warnings.warn_explicit("a warning", category, filename=f"{module.replace('.', '/')}.py",
                           lineno=1, module=module)


@pytest.mark.parametrize("module", ["pinqiao.core.services", "pinqiao"])
def test_a_warning_from_pinqiao_is_an_error(module: str) -> None:
    with pytest.raises(UserWarning):
        _warn_from(module)


def test_a_ninja_deprecation_is_an_error() -> None:
    with pytest.raises(DeprecationWarning):
        _warn_from("ninja.operation", DeprecationWarning)


def test_a_warning_from_elsewhere_stays_a_warning() -> None:
    with pytest.warns(UserWarning):
        _warn_from("somepackage.module")
