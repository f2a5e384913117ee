"""The W3C Nu HTML checker (npm's vnu-jar) finds no errors in the reader pages."""

import json
import subprocess

import pytest

from tests.browser.conftest import every_page_type

VNU = "vnu-jar/build/dist/vnu.jar"


@pytest.fixture
def validate(java, node_script, tmp_path):
    """Run the Nu checker over HTML documents; returns its error messages per document."""
    jar = node_script(VNU)

    def run(documents: dict[str, bytes]) -> dict[str, list[str]]:
        paths = []
        for name, html in documents.items():
            paths.append(tmp_path / f"{name}.html")
            paths[-1].write_bytes(html)
        command = [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, paths)]
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=300).stderr
        errors = {name: [] for name in documents}
        for message in json.loads(output)["messages"]:
            if message["type"] in ("error", "non-document-error"):
                name = message.get("url", "").rsplit("/", 1)[-1].removesuffix(".html")
                errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
        return errors

    return run


def test_home_article_category_and_search_pages_are_valid_html(client, reader_site, validate):
    documents = {name: client.get(url).content for name, url in every_page_type().items()}
    errors = validate(documents)
    assert not any(errors.values()), json.dumps(errors, ensure_ascii=False, indent=2)
