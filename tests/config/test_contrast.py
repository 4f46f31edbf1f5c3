"""Text in the stylesheet's colours keeps 4.5:1 against its background (WCAG 2.2 AA)."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
AA_TEXT = 4.5


def _colour(value: str) -> str:
    value = value.strip()
    if value.startswith("var("):
        name = value[4:-1]
        return re.search(rf"{name}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1)
    if len(value) == 4:  # #fff is #ffffff
        return "#" + "".join(digit * 2 for digit in value[1:])
    return value


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted([_luminance(_colour(foreground)), _luminance(_colour(background))], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rule(selector: str) -> dict[str, str]:
    """The declarations of the first rule whose selector list names exactly this selector."""
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        if selector in (part.strip() for part in selectors.split(",")):
            declarations = (part.split(":", 1) for part in body.split(";") if ":" in part)
            return {name.strip(): value.strip() for name, value in declarations}
    raise AssertionError(f"no rule for {selector} in app.css")


BADGES = ["pending", "approved", "declined", "expired", "consumed", "referral"]


@pytest.mark.parametrize("badge", BADGES)
def test_badge_text_is_readable(badge):
    rule = _rule(f".badge-{badge}")
    assert contrast(rule["color"], rule["background"]) >= AA_TEXT, rule


def test_primary_button_text_is_readable():
    rule = _rule("button.primary")
    assert rule["color"] == "#fff"
    assert contrast(rule["color"], rule["background"]) >= AA_TEXT


@pytest.mark.parametrize("background", ["#ffffff", "var(--bg)", "#f1fbef"])
def test_links_are_readable_on_the_page_backgrounds(background):
    assert contrast(_rule("a")["color"], background) >= AA_TEXT


def test_warning_message_is_readable():
    rule = _rule(".message.warning")
    assert contrast(rule["color"], rule["background"]) >= AA_TEXT
