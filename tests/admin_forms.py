"""Post an admin change form as a browser would: every field and inline as the page shows it, a few changed."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client


class FormReader(HTMLParser):
    """The values a browser would submit with the page's model form (inlines included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:  # the template row for "Add another"
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attributes.get("name", "")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self._add(name, attributes.get("value", "on"))
                return
            self._add(name, attributes.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self._add(self._select, attributes.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def form_data(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    reader = FormReader()
    reader.feed(response.content.decode())
    return reader.data


def post_form(client: Client, url: str, changes: dict[str, str | list[str]] | None = None):
    """GET the admin form at ``url``, change some values, POST it back."""
    data = form_data(client, url)
    for name, value in (changes or {}).items():
        data[name] = value if isinstance(value, list) else [value]
    return client.post(url, data)
