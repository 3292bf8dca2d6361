"""The confirmation's answers, in either language of the output, as a person types them
(the whole run at a terminal: tests/test_answers.py)."""

from __future__ import annotations

import click
import pytest

from automations.prompts import yes_or_no


@pytest.mark.parametrize("answer", ["y", "Y", "yes", "Yes", "д", "Д", "да", "ДА", " да "])
def test_yes_in_either_language_is_yes(answer: str) -> None:
    assert yes_or_no(answer) is True


@pytest.mark.parametrize("answer", ["n", "no", "NO", "н", "нет", "Нет", "", "  "])
def test_no_in_either_language_or_nothing_is_no(answer: str) -> None:
    assert yes_or_no(answer) is False


@pytest.mark.parametrize("answer", ["может быть", "yess", "ok", "1"])
def test_anything_else_is_asked_again(answer: str) -> None:
    with pytest.raises(click.BadParameter, match="answer y or n"):
        yes_or_no(answer)
